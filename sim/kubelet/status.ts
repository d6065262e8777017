/**
 * The statuses the simulated kubelet (standing in for kubelet + workload controllers) writes, as pure functions of
 * the object: ready, held unready, complete, failed. Condition times are carried over from the previous status
 * while a condition keeps its status, so writing the same state twice is a no-op.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '#shared/kube/types.ts';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function specOf(obj: KubeObject): Json {
  return isObject(obj.spec) ? obj.spec : {};
}

function statusOf(obj: KubeObject): Json {
  return isObject(obj.status) ? obj.status : {};
}

/** `spec.replicas`, defaulting to 1. */
export function replicasOf(obj: KubeObject): number {
  const r = specOf(obj).replicas;
  return typeof r === 'number' ? r : 1;
}

/** A revision name like the controllers' `<name>-<hash of the pod template>`. */
export function revisionOf(obj: KubeObject): string {
  const template = specOf(obj).template ?? {};
  let hash = typeof template === 'object' && template !== null ? templateHashes.get(template) : undefined;
  if (hash === undefined) {
    hash = createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
    if (typeof template === 'object' && template !== null) templateHashes.set(template, hash);
  }
  return `${obj.metadata.name ?? ''}-${hash}`;
}

/**
 * Template hashes by template identity: stored objects are never mutated, and the kubelet asks for the revision of
 * the same stored template on every change of its workload.
 */
const templateHashes = new WeakMap<object, string>();

/** Go's RFC 3339 seconds precision. */
export function nowRfc3339(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function previousCondition(obj: KubeObject, type: string): Json | undefined {
  const list = statusOf(obj).conditions;
  return Array.isArray(list) ? list.filter(isObject).find((c) => c.type === type) : undefined;
}

/** A condition keeping its previous times when its status is unchanged. */
function condition(obj: KubeObject, fields: Json & { type: string; status: string }, timeKeys: string[]): Json {
  const prev = previousCondition(obj, fields.type);
  const now = nowRfc3339();
  const out: Json = { ...fields };
  for (const k of timeKeys) out[k] = prev?.status === fields.status && typeof prev[k] === 'string' ? prev[k] : now;
  return out;
}

/** Drops zero counters Go omits (`omitempty`), keeping the ones listed in `keep`. */
function omitZero(status: Json, keep: string[] = []): Json {
  return Object.fromEntries(Object.entries(status).filter(([k, v]) => v !== 0 || keep.includes(k)));
}

/** StatefulSet status: all replicas ready, or (held) created but not ready. */
export function statefulSetStatus(obj: KubeObject, ready: boolean): Json {
  const n = replicasOf(obj);
  const revision = revisionOf(obj);
  return omitZero({
    observedGeneration: obj.metadata.generation ?? 1,
    replicas: n,
    readyReplicas: ready ? n : 0,
    currentReplicas: n,
    updatedReplicas: n,
    availableReplicas: ready ? n : 0,
    currentRevision: revision,
    updateRevision: revision,
    collisionCount: 0,
  }, ['replicas', 'availableReplicas', 'collisionCount']);
}

const dsTimes = ['lastUpdateTime', 'lastTransitionTime'];

/** Deployment status: Available + Progressing (NewReplicaSetAvailable), or (held) unavailable. */
export function deploymentStatus(obj: KubeObject, ready: boolean): Json {
  const n = replicasOf(obj);
  const rs = revisionOf(obj);
  const available = ready || n === 0;
  return omitZero({
    observedGeneration: obj.metadata.generation ?? 1,
    replicas: n,
    updatedReplicas: n,
    readyReplicas: ready ? n : 0,
    availableReplicas: ready ? n : 0,
    unavailableReplicas: ready ? 0 : n,
    conditions: [
      available
        ? condition(obj, { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }, dsTimes)
        : condition(obj, { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }, dsTimes),
      ready
        ? condition(obj, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs}" has successfully progressed.` }, dsTimes)
        : condition(obj, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rs}" is progressing.` }, dsTimes),
    ],
  });
}

const jobTimes = ['lastProbeTime', 'lastTransitionTime'];

/** True once a Job has a Complete or Failed condition: the kubelet never touches it again. */
export function jobFinished(obj: KubeObject): boolean {
  return ['Complete', 'Failed'].some((t) => previousCondition(obj, t)?.status === 'True');
}

function startTime(obj: KubeObject): string {
  const s = statusOf(obj).startTime;
  return typeof s === 'string' ? s : nowRfc3339();
}

/** Job status while its pod runs (held). */
export function jobRunningStatus(obj: KubeObject): Json {
  return { startTime: startTime(obj), active: 1, ready: 0, uncountedTerminatedPods: {} };
}

/** Job status once it succeeded. */
export function jobCompleteStatus(obj: KubeObject): Json {
  const completions = specOf(obj).completions;
  const now = nowRfc3339();
  return {
    conditions: [condition(obj, { type: 'Complete', status: 'True' }, jobTimes)],
    startTime: startTime(obj),
    completionTime: now,
    succeeded: typeof completions === 'number' ? completions : 1,
    ready: 0,
    uncountedTerminatedPods: {},
  };
}

/** Job status once it failed (backoff limit exceeded). */
export function jobFailedStatus(obj: KubeObject, message: string): Json {
  const backoff = specOf(obj).backoffLimit;
  return {
    conditions: [condition(obj, { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message }, jobTimes)],
    startTime: startTime(obj),
    failed: (typeof backoff === 'number' ? backoff : 6) + 1,
    ready: 0,
    uncountedTerminatedPods: {},
  };
}

/** PVC status once bound: phase, access modes and capacity as requested. */
export function pvcBoundStatus(obj: KubeObject): Json {
  const spec = specOf(obj);
  const requests = isObject(spec.resources) && isObject(spec.resources.requests) ? spec.resources.requests : {};
  const status: Json = { phase: 'Bound' };
  if (Array.isArray(spec.accessModes)) status.accessModes = spec.accessModes;
  if (requests.storage !== undefined) status.capacity = { storage: requests.storage };
  return status;
}
