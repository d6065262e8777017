/**
 * The state of one step, read from what the step made: the Namespace, a child CR's status, the env Secret.
 * Pure: the same observation always gives the same state and message.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { findCondition } from '#shared/objects/index.ts';
import type { Condition } from '#shared/kube/types.ts';
import { envKeys, envSecretName, envValues, secretValue, type TenantObserved } from './credentials.ts';
import type { StepName, StepState, Tenant } from './types.ts';

export interface ObservedState {
  state: StepState;
  message: string;
  /** True when the step's object exists (a step whose dependencies regressed keeps reporting its object). */
  exists: boolean;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function describe(object: KubeObject): string {
  const { namespace, name = '' } = object.metadata;
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** A child CR's state, from its `status.phase`, `Ready` condition and `observedGeneration`. */
export function childState(child: KubeObject | undefined, what: string): ObservedState {
  if (!child) return { state: 'Running', message: `creating the ${what}`, exists: false };
  const id = describe(child);
  if (child.metadata.deletionTimestamp) return { state: 'Deleting', message: `${id} is being deleted`, exists: true };
  const status = record(child['status']);
  const generation = child.metadata.generation ?? 0;
  const observedGeneration = typeof status['observedGeneration'] === 'number' ? status['observedGeneration'] : undefined;
  if (observedGeneration === undefined || observedGeneration < generation) {
    return { state: 'Running', message: `${id}: waiting for its operator to process generation ${generation}`, exists: true };
  }
  const ready = findCondition(status['conditions'] as Condition[] | undefined, 'Ready');
  const phase = typeof status['phase'] === 'string' ? status['phase'] : undefined;
  const detail = ready ? `${ready.reason}: ${ready.message}` : (phase ?? 'no status yet');
  if (phase === 'Failed') return { state: 'Failed', message: `${id} failed: ${detail}`, exists: true };
  if (phase === 'Ready' && ready?.status !== 'False') return { state: 'Ready', message: `${id} is Ready`, exists: true };
  if (phase === 'Waiting') return { state: 'Waiting', message: `${id} is waiting: ${detail}`, exists: true };
  return { state: 'Running', message: `${id}: ${detail}`, exists: true };
}

function namespaceState(namespace: KubeObject | undefined, name: string): ObservedState {
  if (!namespace) return { state: 'Running', message: `creating Namespace ${name}`, exists: false };
  const terminating = namespace.metadata.deletionTimestamp || record(namespace['status'])['phase'] === 'Terminating';
  if (terminating) return { state: 'Deleting', message: `Namespace ${name} is terminating`, exists: true };
  return { state: 'Ready', message: `Namespace ${name} exists`, exists: true };
}

function credentialsState(tenant: Tenant, observed: TenantObserved): ObservedState {
  const name = envSecretName(tenant);
  const secret = observed.secrets[name];
  const values = envValues(tenant, observed);
  if ('waitingFor' in values) return { state: 'Running', message: `waiting for ${values.waitingFor}`, exists: secret !== undefined };
  if (!secret) return { state: 'Running', message: `writing Secret ${name}`, exists: false };
  const stale = Object.entries(values.env).find(([key, value]) => secretValue(secret, key) !== value);
  if (stale) return { state: 'Running', message: `updating Secret ${name} (${stale[0]} changed)`, exists: true };
  // A disabled block's keys must leave the Secret too.
  const extra = envKeys.find((key) => values.env[key] === undefined && secretValue(secret, key) !== undefined);
  if (extra) return { state: 'Running', message: `updating Secret ${name} (${extra} no longer applies)`, exists: true };
  return { state: 'Ready', message: `Secret ${name} holds ${Object.keys(values.env).length} values`, exists: true };
}

/** The state of `step` judged only by its own object (dependencies are the caller's business). */
export function observedStepState(step: StepName, tenant: Tenant, observed: TenantObserved, namespace: string): ObservedState {
  switch (step) {
    case 'namespace':
      return namespaceState(observed.namespace, namespace);
    case 'couchdb':
      return childState(observed.children.couchdb, 'CouchDB');
    case 'nats':
      return childState(observed.children.nats, 'NatsCluster');
    case 'openwhisk':
      return childState(observed.children.openwhisk, 'OpenWhisk');
    case 'credentials':
      return credentialsState(tenant, observed);
  }
}
