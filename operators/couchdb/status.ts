/**
 * The status of a CouchDB, computed purely from the CR and what was observed: phase, `Ready`/`Progressing`
 * conditions with a reason and a message that names the fix, the outputs the completion event carries.
 */
import type { Condition, KubeObject } from '#shared/kube/types.ts';
import { setCondition } from '#shared/objects/index.ts';
import type { ComponentStatus } from '#shared/component/types.ts';
import type { CouchDBObserved } from './desired.ts';
import { adminSecretName, endpointOf } from './names.ts';
import { jobState, readyReplicasOf, workloadReady } from './readiness.ts';
import { settingsOf, type CouchDB, type CouchDBPhase } from './types.ts';

/** The reasons of the `Ready`/`Progressing` conditions. */
export const CouchDBReasons = [
  'AdminSecretNotFound', 'InvalidAdminSecret', 'StatefulSetNotReady', 'InitJobRunning', 'InitJobFailed', 'Ready',
] as const;
export type CouchDBReason = (typeof CouchDBReasons)[number];

/** The kind-specific status fields. */
export type CouchDBStatusFields = {
  observedGeneration: number;
  endpoint: string;
  secretName: string;
  readyReplicas: number;
};

/** The skeleton's ComponentStatus, narrowed to this kind. */
export interface CouchDBStatusResult extends ComponentStatus {
  phase: CouchDBPhase;
  /** The short cause, also the reason of both conditions. */
  reason: CouchDBReason;
  message: string;
  conditions: Condition[];
  fields: CouchDBStatusFields;
  /** The completion event's `data.outputs`. */
  outputs: Record<string, string>;
  requeueAfterMs?: number;
}

/** A user-supplied Secret is not watched: look at it again after this long. */
export const secretRecheckMs = 15_000;

interface Verdict { phase: CouchDBPhase; reason: CouchDBReason; message: string; requeueAfterMs?: number }

/** Where the CouchDB stands. */
export function status(cr: CouchDB, observed: CouchDBObserved, nowIso: string): CouchDBStatusResult {
  const verdict = judge(cr, observed);
  const generation = cr.metadata.generation ?? 0;
  const ready = verdict.phase === 'Ready';
  const progressing = verdict.phase === 'Pending' || verdict.phase === 'Provisioning';
  let conditions = setCondition(cr.status?.conditions, {
    type: 'Ready', status: ready ? 'True' : 'False', reason: verdict.reason, message: verdict.message, observedGeneration: generation,
  }, nowIso);
  conditions = setCondition(conditions, {
    type: 'Progressing', status: progressing ? 'True' : 'False', reason: verdict.reason, message: verdict.message,
    observedGeneration: generation,
  }, nowIso);
  const fields = {
    observedGeneration: generation,
    endpoint: endpointOf(cr),
    secretName: adminSecretName(cr),
    readyReplicas: readyReplicasOf(observed.statefulSet),
  };
  const result: CouchDBStatusResult = {
    phase: verdict.phase, reason: verdict.reason, message: verdict.message, conditions, fields,
    outputs: { endpoint: fields.endpoint, secretName: fields.secretName },
  };
  if (verdict.requeueAfterMs !== undefined) result.requeueAfterMs = verdict.requeueAfterMs;
  return result;
}

function judge(cr: CouchDB, observed: CouchDBObserved): Verdict {
  const settings = settingsOf(cr);
  const namespace = cr.metadata.namespace ?? 'default';
  if (settings.adminSecretRef) {
    const secretProblem = checkAdminSecret(observed.adminSecret, settings.adminSecretRef, namespace);
    if (secretProblem) return secretProblem;
  }
  const sts = observed.statefulSet;
  if (!sts) return { phase: 'Pending', reason: 'StatefulSetNotReady', message: 'creating the StatefulSet' };
  if (!workloadReady(sts, settings.replicas)) {
    return {
      phase: 'Provisioning', reason: 'StatefulSetNotReady',
      message: `StatefulSet ${sts.metadata.name ?? ''}: ${readyReplicasOf(sts)}/${settings.replicas} replicas ready`,
    };
  }
  const job = jobState(observed.initJob);
  switch (job.state) {
    case 'absent':
    case 'running':
      return { phase: 'Provisioning', reason: 'InitJobRunning', message: 'running the init Job (cluster setup and databases)' };
    case 'failed':
      return {
        phase: 'Failed', reason: 'InitJobFailed',
        message: `init Job ${observed.initJob?.metadata.name ?? ''} failed: ${job.message}; check its pod logs, fix the spec (databases, replicas) and a new Job runs`,
      };
    case 'complete':
      return { phase: 'Ready', reason: 'Ready', message: `CouchDB is ready at ${endpointOf(cr)}` };
  }
}

function checkAdminSecret(secret: KubeObject | undefined, name: string, namespace: string): Verdict | undefined {
  if (!secret) {
    return {
      phase: 'Pending', reason: 'AdminSecretNotFound', requeueAfterMs: secretRecheckMs,
      message: `spec.adminSecretRef.name: Secret "${name}" not found in namespace "${namespace}"; create it with keys username and password, or remove adminSecretRef to have one generated`,
    };
  }
  const data = { ...asRecord(secret['data']), ...asRecord(secret['stringData']) };
  const missing = ['username', 'password'].filter((key) => !data[key]);
  if (missing.length > 0) {
    return {
      phase: 'Failed', reason: 'InvalidAdminSecret', requeueAfterMs: secretRecheckMs,
      message: `spec.adminSecretRef.name: Secret "${name}" lacks the key(s) ${missing.join(', ')}; add them (username and password of the CouchDB admin)`,
    };
  }
  return undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
