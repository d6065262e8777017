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
import { announce } from './announce.ts';
import { applyStep, isRunnable, mergeDeltas } from './apply-steps.ts';
import type { TenantObserved } from './credentials.ts';
import { deleteTenant, mainFinalizer } from './deletion.ts';
import { disabledCondition, leftovers, removeDisabled } from './disable.ts';
import { tenantGraph } from './graph.ts';
import { observe, type CacheLookup } from './observe.ts';
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
  /** The controller's informer caches (children are read from them when they show them Ready). */
  cacheOf?: CacheLookup | undefined;
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

/** Writes `status` when it changed and announces the changes; returns the Tenant as written. */
async function report(tenant: Tenant, status: TenantStatus, deps: Deps): Promise<Tenant> {
  const before = tenant.status;
  if (!(await writeStatusIfChanged(deps.kube, tenant, status as Record<string, unknown>))) return tenant;
  const written: Tenant = { ...tenant, status };
  await announce(deps, written, before);
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
  return async (key, deps): Promise<ReconcileResult> => {
    let tenant = await deps.kube.tryGet<Tenant>({ ...tenantKindRef, name: key });
    if (!tenant) return done;
    const nowIso = deps.clock.nowIso();

    if (tenant.metadata.deletionTimestamp) {
      if (!(tenant.metadata.finalizers ?? []).includes(mainFinalizer)) return done;
      // Deletion reads the API only: every step must be seen gone for real before the next one goes.
      const observed = await observe(tenant, deps);
      tenant = await report(tenant, computeStatus(tenant, observed, nowIso, options).status, deps);
      return deleteTenant(tenant, observed, deps, deletePollMs);
    }

    tenant = await ensureFinalizer(deps.kube, tenant, mainFinalizer);
    let observed = await observe(tenant, deps, options.cacheOf);
    observed = await applyRunnable(tenant, observed, nowIso, options, deps);
    if (leftovers(tenant, observed).length > 0) await removeDisabled(tenant, observed, deps);
    const result = computeStatus(tenant, observed, nowIso, options);
    await report(tenant, result.status, deps);
    if (leftovers(tenant, observed).length > 0) return requeueAfter(deletePollMs);
    return result.requeueAfterMs !== undefined ? requeueAfter(result.requeueAfterMs) : done;
  };
}
