/**
 * The status of an OpenWhisk, computed purely: `Waiting` (reason `CouchDBNotReady`) until its CouchDB is usable,
 * then `Pending`/`Provisioning` until the init Job succeeded and the controller is ready, `Failed` on an init Job
 * failure or a CouchDB URL that cannot work.
 */
import type { Condition } from '#shared/kube/types.ts';
import type { ConditionInput } from '#shared/objects/conditions.ts';
import { setCondition } from '#shared/objects/index.ts';
import type { ComponentStatus } from '#shared/component/types.ts';
import { jobState, readyReplicasOf, workloadReady } from '#operators/couchdb/readiness.ts';
import { couchdbAccess } from './couchdb-access.ts';
import { designDocPlan, designDocumentsConfigMap } from './design-docs.ts';
import type { OpenWhiskObserved } from './desired.ts';
import { apiHostOf, authSecretsOf, namespacesOf } from './names.ts';
import type { OpenWhisk, OpenWhiskPhase } from './types.ts';

export const OpenWhiskReasons = [
  'CouchDBNotReady', 'CouchDBSecretNotFound', 'InvalidCouchDBURL', 'InitJobRunning', 'InitJobFailed',
  'ControllerNotReady', 'DesignDocumentsNotFound', 'Ready',
] as const;
export type OpenWhiskReason = (typeof OpenWhiskReasons)[number];

export type OpenWhiskStatusFields = {
  observedGeneration: number;
  apiHost: string;
  authSecrets: Record<string, string>;
};

/** The skeleton's ComponentStatus, narrowed to this kind. */
export interface OpenWhiskStatusResult extends ComponentStatus {
  phase: OpenWhiskPhase;
  reason: OpenWhiskReason;
  message: string;
  conditions: Condition[];
  fields: OpenWhiskStatusFields;
  /** The completion event's `data.outputs`: `apiHost`, and the first namespace and its auth Secret. */
  outputs: Record<string, string>;
  requeueAfterMs?: number;
}

/** While waiting on a CouchDB, look again after this long even without a watch event (the fast path is the watch). */
export const couchdbRecheckMs = 30_000;
/** A user-supplied Secret is not watched: look at it again after this long. */
export const secretRecheckMs = 15_000;

interface Verdict { phase: OpenWhiskPhase; reason: OpenWhiskReason; message: string; requeueAfterMs?: number }

/** Where the OpenWhisk stands. */
export function status(cr: OpenWhisk, observed: OpenWhiskObserved, nowIso: string): OpenWhiskStatusResult {
  const verdict = judge(cr, observed);
  const generation = cr.metadata.generation ?? 0;
  const progressing = verdict.phase === 'Pending' || verdict.phase === 'Provisioning';
  let conditions = setCondition(cr.status?.conditions, {
    type: 'Ready', status: verdict.phase === 'Ready' ? 'True' : 'False', reason: verdict.reason, message: verdict.message,
    observedGeneration: generation,
  }, nowIso);
  conditions = setCondition(conditions, { ...designDocumentsCondition(cr, observed), observedGeneration: generation }, nowIso);
  conditions = setCondition(conditions, {
    type: 'Progressing', status: progressing ? 'True' : 'False', reason: verdict.reason, message: verdict.message,
    observedGeneration: generation,
  }, nowIso);
  const fields = { observedGeneration: generation, apiHost: apiHostOf(cr), authSecrets: authSecretsOf(cr) };
  const first = namespacesOf(cr)[0] ?? '';
  const result: OpenWhiskStatusResult = {
    phase: verdict.phase, reason: verdict.reason, message: verdict.message, conditions, fields,
    outputs: { apiHost: fields.apiHost, namespace: first, authSecret: fields.authSecrets[first] ?? '' },
  };
  if (verdict.requeueAfterMs !== undefined) result.requeueAfterMs = verdict.requeueAfterMs;
  return result;
}

function judge(cr: OpenWhisk, observed: OpenWhiskObserved): Verdict {
  const access = couchdbAccess(cr, observed);
  if (!access.ok) {
    if (access.reason === 'InvalidCouchDBURL') return { phase: 'Failed', reason: access.reason, message: access.message };
    const requeueAfterMs = access.reason === 'CouchDBSecretNotFound' ? secretRecheckMs : couchdbRecheckMs;
    return { phase: 'Waiting', reason: access.reason, message: access.message, requeueAfterMs };
  }
  const configMap = designDocumentsConfigMap(cr);
  if (configMap !== undefined && !observed.designDocuments) {
    return {
      phase: observed.deployment ? 'Provisioning' : 'Pending', reason: 'DesignDocumentsNotFound', requeueAfterMs: secretRecheckMs,
      message: `ConfigMap ${configMap} (spec.designDocuments.configMapRef.name) not found in this namespace; the init Job waits for it`,
    };
  }
  const job = jobState(observed.initJob);
  if (job.state === 'failed') {
    return {
      phase: 'Failed', reason: 'InitJobFailed',
      message: `init Job ${observed.initJob?.metadata.name ?? ''} failed: ${job.message}; check its pod logs and the CouchDB credentials, then fix the spec or the Secret and a new Job runs`,
    };
  }
  if (job.state !== 'complete') {
    const missing = namespacesOf(cr).filter((ns) => !observed.authSecrets?.[ns]);
    const message = missing.length > 0
      ? `creating the auth Secrets of ${missing.join(', ')}`
      : 'running the init Job (databases and subjects)';
    return { phase: observed.deployment ? 'Provisioning' : 'Pending', reason: 'InitJobRunning', message };
  }
  if (!workloadReady(observed.deployment, 1)) {
    const name = observed.deployment?.metadata.name ?? '';
    return {
      phase: observed.deployment ? 'Provisioning' : 'Pending', reason: 'ControllerNotReady',
      message: observed.deployment ? `controller Deployment ${name}: ${readyReplicasOf(observed.deployment)}/1 ready` : 'creating the controller',
    };
  }
  return { phase: 'Ready', reason: 'Ready', message: `OpenWhisk is ready at ${apiHostOf(cr)}` };
}

/** How to provide design documents: the message of `DesignDocuments` False/NotProvided and of its Warning Event. */
export const designDocumentsNotProvidedMessage =
  'no design documents provided: the OpenWhisk controller runs but will not serve queries (authentication, listing ' +
  'entities and activations need its CouchDB views) until they are. Put Apache OpenWhisk\'s design documents ' +
  '(ansible/files/*design_document*.json) in a ConfigMap with keys <subjects|whisks|activations>--<name>.json and set ' +
  'spec.designDocuments.configMapRef.name (see operators/openwhisk/design-docs/README.md)';

/** The `DesignDocuments` condition: whether OpenWhisk's views are provided, and what is wrong with them. */
export function designDocumentsCondition(cr: OpenWhisk, observed: OpenWhiskObserved): ConditionInput & { type: 'DesignDocuments' } {
  const type = 'DesignDocuments';
  const name = designDocumentsConfigMap(cr);
  if (name === undefined) return { type, status: 'False', reason: 'NotProvided', message: designDocumentsNotProvidedMessage };
  if (!observed.designDocuments) {
    return { type, status: 'False', reason: 'ConfigMapNotFound', message: `ConfigMap ${name} (spec.designDocuments.configMapRef.name) not found` };
  }
  const plan = designDocPlan(observed.designDocuments);
  if (plan.problems.length > 0 || plan.docs.length === 0) {
    const problems = plan.docs.length === 0 ? [...plan.problems, 'no usable *.json key'] : plan.problems;
    return { type, status: 'False', reason: 'Invalid', message: `ConfigMap ${name}: ${problems.join('; ')} (skipped)` };
  }
  const written = plan.docs.map((doc) => `${doc.database}/${doc.id}`).join(', ');
  return { type, status: 'True', reason: 'Provided', message: `ConfigMap ${name}: the init Job writes ${written}` };
}
