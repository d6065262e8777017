/**
 * The Tenant API (`tenants.nimbus.dev/v1alpha1`, cluster-scoped) as TypeScript shapes. Each component block is the
 * child's own spec plus `enabled`; the main operator passes it through to the child CR unchanged.
 */
import type { Condition, KubeObject } from '#shared/kube/types.ts';
import type { CouchDBSpec } from '#operators/couchdb/types.ts';
import type { NatsClusterSpec } from '#operators/nats/types.ts';
import type { OpenWhiskSpec } from '#operators/openwhisk/types.ts';

export const tenantApiVersion = 'nimbus.dev/v1alpha1';
export const tenantKind = 'Tenant';
/** The operator name: field manager `nimbus-main`, finalizer `nimbus.dev/main`. */
export const mainOperator = 'main';

export interface Toggle {
  /** Default true. */
  enabled?: boolean;
}

/** The ResourceQuota of the tenant namespace (`hard`), quantities as strings or integers. */
export interface TenantQuota {
  cpu?: string | number;
  memory?: string | number;
  pods?: string | number;
  persistentvolumeclaims?: string | number;
  'requests.storage'?: string | number;
}

export const deletionPolicies = ['Delete', 'Retain'] as const;
export type DeletionPolicy = (typeof deletionPolicies)[number];

export interface TenantSpec {
  displayName?: string;
  /** The tenant namespace; `tenant-<name>` when omitted (a CRD default cannot depend on the name). */
  namespace?: string;
  couchdb?: Toggle & CouchDBSpec;
  nats?: Toggle & NatsClusterSpec;
  /** `couchdb` is optional here: it defaults to `{ ref: { name: <the tenant's CouchDB> } }`. */
  openwhisk?: Toggle & Partial<OpenWhiskSpec>;
  quota?: TenantQuota;
  /** `Retain` keeps the data volumes (PVCs) when the tenant is deleted. Default `Delete`. */
  deletionPolicy?: DeletionPolicy;
}

export const tenantPhases = ['Pending', 'Provisioning', 'Ready', 'Failed', 'Deleting'] as const;
export type TenantPhase = (typeof tenantPhases)[number];

export const stepNames = ['namespace', 'couchdb', 'nats', 'openwhisk', 'credentials'] as const;
export type StepName = (typeof stepNames)[number];

/** The component blocks of the spec, one per child CR step. */
export const blockNames = ['couchdb', 'nats', 'openwhisk'] as const;
export type BlockName = (typeof blockNames)[number];

/**
 * Pending: dependencies not Ready yet · Waiting: the child waits for something outside the graph · Running: applied,
 * not Ready yet · Ready · Failed: the child reports Failed · Skipped: disabled · Deleting: being deleted ·
 * Deleted: gone, during tenant deletion.
 */
export const stepStates = ['Pending', 'Waiting', 'Running', 'Ready', 'Failed', 'Skipped', 'Deleting', 'Deleted'] as const;
export type StepState = (typeof stepStates)[number];

export interface StepStatus {
  name: StepName;
  state: StepState;
  /** When the step last left Pending (kept across reconciles). */
  startedAt?: string;
  /** When the step last became Ready (kept while Ready). */
  readyAt?: string;
  message?: string;
}

export interface TenantEndpoints {
  couchdb?: string;
  nats?: string;
  openwhisk?: string;
}

export interface TenantStatus {
  phase?: TenantPhase;
  observedGeneration?: number;
  namespace?: string;
  steps?: StepStatus[];
  readySteps?: number;
  totalSteps?: number;
  /** `<readySteps>/<totalSteps>`, for the printer column. */
  stepsSummary?: string;
  endpoints?: TenantEndpoints;
  /** `<tenant>-env` in the tenant namespace, once written. */
  credentialsSecret?: string;
  conditions?: Condition[];
}

export interface Tenant extends KubeObject {
  spec?: TenantSpec;
  status?: TenantStatus;
}
