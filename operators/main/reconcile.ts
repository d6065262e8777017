/**
 * reconcile(tenant name) of the main operator. Level-triggered: read the Tenant and its children, compute every
 * step's state (status.ts), apply what the runnable steps make (several rounds in one pass, so the namespace and
 * both databases start together), delete the children of disabled blocks, write the status only when it changed,
 * announce transitions, and requeue on a timer while not Ready so that a lost NATS event only slows onboarding down.
 */
import { ensureFinalizer } from '#shared/controller/finalizer.ts';
import { writeStatusIfChanged } from '#shared/controller/status.ts';
import { done, requeueAfter, type Deps, type Reconciler, type ReconcileResult } from '#shared/controller/types.ts';
import { setCondition } from '#shared/objects/index.ts';
import { announceInBackground } from './announce.ts';
import { applyStep, isRunnable, mergeDeltas } from './apply-steps.ts';
import type { TenantObserved } from './credentials.ts';
import { deleteTenant, mainFinalizer } from './deletion.ts';
import { disabledCondition, leftovers, removeDisabled } from './disable.ts';
import { tenantGraph } from './graph.ts';
import { observe, type CacheLookup } from './observe.ts';
import type { CompletionHints } from './completion-hints.ts';
import { defaultRequeueMs, defaultStuckAfterMs, tenantStatus, type TenantStatusResult } from './status.ts';
import { tenantApiVersion, tenantKind, type StepName, type Tenant, type TenantStatus } from './types.ts';

export const tenantKindRef = { apiVersion: tenantApiVersion, kind: tenantKind } as const;

export interface TenantReconcilerOptions {
  /** Requeue a tenant that is not Ready after this long (default 30 s; `TENANT_REQUEUE_SECONDS`). */
  requeueMs?: number | undefined;
  /** A step Running/Waiting longer than this sets `Degraded` (default 10 min; `TENANT_STEP_DEADLINE_SECONDS`). */
  stuckAfterMs?: number | undefined;
  /** While deleting, look again this often even without a watch event (default min(requeue, 2 s)). */
  deletePollMs?: number | undefined;
  /** The controller's informer caches (a reconcile then reads no API). */
  cacheOf?: CacheLookup | undefined;
  /** Completion events not yet seen by the caches (controller.ts records them). */
  hints?: CompletionHints | undefined;
}

/** Computes the status, with the ComponentsDisabled condition. */
function computeStatus(tenant: Tenant, observed: TenantObserved, nowIso: string, options: TenantReconcilerOptions): TenantStatusResult {
  const result = tenantStatus(tenant, observed, nowIso, {
    requeueMs: options.requeueMs ?? defaultRequeueMs, stuckAfterMs: options.stuckAfterMs ?? defaultStuckAfterMs,
  });
  const generation = tenant.metadata.generation ?? 0;
  result.status.conditions = setCondition(result.status.conditions, disabledCondition(tenant, observed, generation), nowIso);
  return result;
}

/**
 * The status this process last wrote per tenant, and the resourceVersions of the Tenant it was computed from. The
 * informer cache may not show that write yet when the next wake-up of the tenant comes (the reconcile is shorter
 * than a watch round trip): a Tenant still at one of those versions gets the written status back, so the same step
 * transition is neither written nor announced twice. Any other version (the write seen, or a newer change) drops it.
 */
type OwnWrites = Map<string, { staleVersions: string[]; status: TenantStatus }>;

function withOwnWrite(tenant: Tenant, ownWrites: OwnWrites): Tenant {
  const name = tenant.metadata.name ?? '';
  const own = ownWrites.get(name);
  if (!own) return tenant;
  if (own.staleVersions.includes(tenant.metadata.resourceVersion ?? '')) return { ...tenant, status: own.status };
  ownWrites.delete(name);
  return tenant;
}

/** Writes `status` when it changed and announces the changes; returns the Tenant as written. */
async function report(tenant: Tenant, status: TenantStatus, deps: Deps, ownWrites: OwnWrites, staleVersions: string[]): Promise<Tenant> {
  const before = tenant.status;
  if (!(await writeStatusIfChanged(deps.kube, tenant, status as Record<string, unknown>))) return tenant;
  ownWrites.set(tenant.metadata.name ?? '', { staleVersions, status });
  const written: Tenant = { ...tenant, status };
  // Not awaited: Events and tenant events are reports, the reconcile does not wait for them (order kept per tenant).
  void announceInBackground(deps, written, before);
  return written;
}

/** Applies the runnable steps, round after round, until a round finds nothing new to start. */
async function applyRunnable(tenant: Tenant, observed: TenantObserved, nowIso: string, options: TenantReconcilerOptions, deps: Deps): Promise<TenantObserved> {
  const specChanged = tenant.status?.observedGeneration !== tenant.metadata.generation;
  const applied = new Set<StepName>();
  let current = observed;
  for (let round = 0; round < tenantGraph.length; round++) {
    const steps = computeStatus(tenant, current, nowIso, options).status.steps ?? [];
    const todo = steps.filter((s) => isRunnable(s.state) && !applied.has(s.name));
    if (todo.length === 0) break;
    for (const step of todo) applied.add(step.name);
    // Independent steps start together: couchdb and nats are applied in parallel.
    const deltas = await Promise.all(todo.map((s) => applyStep(s.name, s.state, tenant, current, specChanged, deps)));
    current = mergeDeltas(current, deltas);
  }
  return current;
}

/** The Tenant reconciler. */
export function createTenantReconciler(options: TenantReconcilerOptions = {}): Reconciler {
  const requeueMs = options.requeueMs ?? defaultRequeueMs;
  const deletePollMs = options.deletePollMs ?? Math.min(requeueMs, 2000);
  const ownWrites: OwnWrites = new Map();
  return async (key, deps): Promise<ReconcileResult> => {
    const read = await deps.kube.tryGet<Tenant>({ ...tenantKindRef, name: key });
    if (!read) {
      ownWrites.delete(key);
      options.hints?.forgetChildrenNamed(key);
      return done;
    }
    let tenant = withOwnWrite(read, ownWrites);
    const staleVersions = [read.metadata.resourceVersion ?? ''];
    const nowIso = deps.clock.nowIso();

    if (tenant.metadata.deletionTimestamp) {
      if (!(tenant.metadata.finalizers ?? []).includes(mainFinalizer)) return done;
      // Deletion reads the API only: every step must be seen gone for real before the next one goes.
      const observed = await observe(tenant, deps);
      tenant = await report(tenant, computeStatus(tenant, observed, nowIso, options).status, deps, ownWrites, staleVersions);
      return deleteTenant(tenant, observed, deps, deletePollMs);
    }

    tenant = await ensureFinalizer(deps.kube, tenant, mainFinalizer);
    if (tenant.metadata.resourceVersion) staleVersions.push(tenant.metadata.resourceVersion);
    let observed = await observe(tenant, deps, { cacheOf: options.cacheOf, hints: options.hints, nowMs: deps.clock.now(), nowIso });
    observed = await applyRunnable(tenant, observed, nowIso, options, deps);
    if (leftovers(tenant, observed).length > 0) await removeDisabled(tenant, observed, deps);
    const result = computeStatus(tenant, observed, nowIso, options);
    await report(tenant, result.status, deps, ownWrites, staleVersions);
    if (leftovers(tenant, observed).length > 0) return requeueAfter(deletePollMs);
    // A status computed from a completion event is checked against the cache again once the hint has expired.
    const recheckMs = observed.hinted?.length ? options.hints?.recheckAfterMs : undefined;
    const requeueMs = Math.min(result.requeueAfterMs ?? Infinity, recheckMs ?? Infinity);
    return Number.isFinite(requeueMs) ? requeueAfter(requeueMs) : done;
  };
}
