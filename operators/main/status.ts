/**
 * The Tenant's status, computed purely from the Tenant (its previous status keeps the step timings) and the observed
 * children: each step's state, the overall phase, `n/m`, the Ready condition naming the blocking step, a Degraded
 * condition for a step stuck past its deadline, endpoints, and the transitions the reconciler turns into Events.
 */
import type { Condition } from '#shared/kube/types.ts';
import { setCondition } from '#shared/objects/index.ts';
import { envSecretName, type TenantObserved } from './credentials.ts';
import { tenantNamespace } from './desired.ts';
import { skipReason, tenantGraph, topologicalOrder, type StepGraph } from './graph.ts';
import { observedStepState } from './step-state.ts';
import type { StepName, StepState, StepStatus, Tenant, TenantEndpoints, TenantPhase, TenantStatus } from './types.ts';

export interface TenantStatusOptions {
  /** Now, for the stuck-step deadline (default: `Date.parse(nowIso)`). */
  nowMs?: number;
  /** A step Running or Waiting for longer than this sets `Degraded` (default 10 minutes). */
  stuckAfterMs?: number;
  /** Requeue while not Ready (default 30 s): onboarding completes without any NATS event. */
  requeueMs?: number;
  graph?: StepGraph;
}

export interface TenantStatusResult {
  status: TenantStatus;
  /** The step holding the tenant back (first Failed, else first not Ready in graph order). */
  blocking?: StepName;
  requeueAfterMs?: number;
}

export const defaultStuckAfterMs = 10 * 60_000;
export const defaultRequeueMs = 30_000;

/** `couchdb` → `CouchDB`, for condition reasons (`CouchDBFailed`, `NatsNotReady`). */
export const stepLabels: Record<StepName, string> = {
  namespace: 'Namespace', couchdb: 'CouchDB', nats: 'Nats', openwhisk: 'OpenWhisk', credentials: 'Credentials',
};

const settled = (state: StepState | undefined): boolean => state === 'Ready' || state === 'Skipped';

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** Keeps startedAt while the step has started, and readyAt while it is Ready; stamps them on the transition. */
function withTimes(step: BareStep, previous: StepStatus | undefined, nowIso: string): StepStatus {
  const result: StepStatus = { ...step };
  const started = !['Pending', 'Skipped', 'Deleted'].includes(step.state);
  if (started) result.startedAt = previous?.startedAt ?? nowIso;
  if (step.state === 'Ready') result.readyAt = previous?.state === 'Ready' && previous.readyAt ? previous.readyAt : nowIso;
  else if (step.state === 'Deleting' || step.state === 'Deleted') {
    if (previous?.readyAt) result.readyAt = previous.readyAt;
  }
  return result;
}

type BareStep = Omit<StepStatus, 'startedAt' | 'readyAt'>;

/** Each step's state and message, in graph order (no timings yet). */
function computeSteps(tenant: Tenant, observed: TenantObserved, graph: StepGraph): BareStep[] {
  const namespace = tenantNamespace(tenant);
  const deleting = Boolean(tenant.metadata.deletionTimestamp);
  const states: Partial<Record<StepName, StepState>> = {};
  const steps: BareStep[] = [];
  for (const name of topologicalOrder(graph)) {
    const skip = skipReason(tenant.spec, name);
    const own = observedStepState(name, tenant, observed, namespace);
    let step: BareStep;
    if (deleting) {
      step = own.exists ? { name, state: 'Deleting', message: `deleting: ${own.message}` } : { name, state: 'Deleted', message: 'deleted' };
    } else if (skip !== undefined) {
      step = own.exists ? { name, state: 'Deleting', message: `${skip}: deleting what it created` } : { name, state: 'Skipped', message: skip };
      // A disabled step never holds its dependents back, even while its leftovers are being deleted.
      states[name] = 'Skipped';
    } else {
      const unmet = (graph.find((s) => s.name === name)?.needs ?? []).filter((n) => !settled(states[n]));
      step = unmet.length > 0 && !own.exists
        ? { name, state: 'Pending', message: `waiting for ${unmet.join(', ')}` }
        : { name, state: own.state, message: own.message };
    }
    states[name] = states[name] ?? step.state;
    steps.push(step);
  }
  return steps;
}

function phaseOf(steps: StepStatus[], deleting: boolean, observed: TenantObserved): TenantPhase {
  if (deleting) return 'Deleting';
  const active = steps.filter((s) => s.state !== 'Skipped');
  if (active.some((s) => s.state === 'Failed')) return 'Failed';
  if (active.every((s) => s.state === 'Ready')) return 'Ready';
  // Nothing created yet: the first reconcile has not applied the namespace (or it failed to).
  if (!observed.namespace && Object.keys(observed.children).length === 0) return 'Pending';
  return 'Provisioning';
}

function endpointsOf(observed: TenantObserved): TenantEndpoints {
  const endpoints: TenantEndpoints = {};
  const couchdb = record(observed.children.couchdb?.['status'])['endpoint'];
  const nats = record(observed.children.nats?.['status'])['url'];
  const openwhisk = record(observed.children.openwhisk?.['status'])['apiHost'];
  if (typeof couchdb === 'string' && couchdb) endpoints.couchdb = couchdb;
  if (typeof nats === 'string' && nats) endpoints.nats = nats;
  if (typeof openwhisk === 'string' && openwhisk) endpoints.openwhisk = openwhisk;
  return endpoints;
}

/** The full status to write for `tenant`, given what was observed after this reconcile's applies. */
export function tenantStatus(tenant: Tenant, observed: TenantObserved, nowIso: string, options: TenantStatusOptions = {}): TenantStatusResult {
  const graph = options.graph ?? tenantGraph;
  const deleting = Boolean(tenant.metadata.deletionTimestamp);
  const previous = new Map((tenant.status?.steps ?? []).map((s) => [s.name, s]));
  const steps = computeSteps(tenant, observed, graph).map((s) => withTimes(s, previous.get(s.name), nowIso));
  const phase = phaseOf(steps, deleting, observed);
  const active = steps.filter((s) => s.state !== 'Skipped');
  const readySteps = active.filter((s) => s.state === 'Ready').length;
  const generation = tenant.metadata.generation ?? 0;
  const envName = envSecretName(tenant);

  const blockingStep = deleting
    ? steps.slice().reverse().find((s) => s.state === 'Deleting')
    : (active.find((s) => s.state === 'Failed') ?? active.find((s) => s.state !== 'Ready' && s.state !== 'Pending'));
  const ready: Omit<Condition, 'lastTransitionTime'> = phase === 'Ready'
    ? { type: 'Ready', status: 'True', reason: 'Ready', message: `all ${active.length} steps are Ready; credentials are in Secret ${tenantNamespace(tenant)}/${envName}`, observedGeneration: generation }
    : {
        type: 'Ready',
        status: 'False',
        reason: deleting ? 'Deleting' : blockingStep ? `${stepLabels[blockingStep.name]}${blockingStep.state === 'Failed' ? 'Failed' : blockingStep.state === 'Waiting' ? 'Waiting' : 'NotReady'}` : 'Pending',
        message: blockingStep ? `step ${blockingStep.name}: ${blockingStep.message ?? blockingStep.state}` : 'waiting to start',
        observedGeneration: generation,
      };
  let conditions = setCondition(tenant.status?.conditions, ready, nowIso);

  const nowMs = options.nowMs ?? Date.parse(nowIso);
  const stuckAfterMs = options.stuckAfterMs ?? defaultStuckAfterMs;
  const stuck = deleting ? undefined : active.find((s) => (s.state === 'Running' || s.state === 'Waiting') && s.startedAt && nowMs - Date.parse(s.startedAt) > stuckAfterMs);
  conditions = setCondition(conditions, stuck
    ? { type: 'Degraded', status: 'True', reason: 'StepStuck', message: `step ${stuck.name} has not been Ready for more than ${Math.round(stuckAfterMs / 1000)} s: ${stuck.message ?? ''}`, observedGeneration: generation }
    : { type: 'Degraded', status: 'False', reason: 'NoStuckSteps', message: 'no step is past its deadline', observedGeneration: generation }, nowIso);

  const status: TenantStatus = {
    phase,
    observedGeneration: generation,
    namespace: tenantNamespace(tenant),
    steps,
    readySteps,
    totalSteps: active.length,
    stepsSummary: `${readySteps}/${active.length}`,
    endpoints: endpointsOf(observed),
    conditions,
  };
  if (observed.secrets[envName]) status.credentialsSecret = envName;
  const result: TenantStatusResult = { status };
  if (blockingStep && phase !== 'Ready') result.blocking = blockingStep.name;
  if (phase !== 'Ready') result.requeueAfterMs = options.requeueMs ?? defaultRequeueMs;
  return result;
}

/** A step whose state changed between two statuses: what the reconciler reports as a Kubernetes Event and NATS event. */
export interface StepTransition {
  step: StepName;
  from: StepState | undefined;
  to: StepState;
  message: string;
}

/** The steps whose state differs between `before` and `after`, in graph order. */
export function stepTransitions(before: TenantStatus | undefined, after: TenantStatus): StepTransition[] {
  const previous = new Map((before?.steps ?? []).map((s) => [s.name, s.state]));
  return (after.steps ?? [])
    .filter((s) => previous.get(s.name) !== s.state)
    .map((s) => ({ step: s.name, from: previous.get(s.name), to: s.state, message: s.message ?? '' }));
}
