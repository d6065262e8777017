/**
 * The NatsCluster API (`natsclusters.nimbus.dev/v1alpha1`) as TypeScript shapes. The CRD in
 * `manifests/crds/natscluster.yaml` is the authority for validation and defaults; `withDefaults` repeats the defaults
 * so that pure code also works on objects that did not pass through an API server (tests, the Tenant pass-through).
 */
import type { Condition, KubeObject } from '#shared/kube/types.ts';

export const natsApiVersion = 'nimbus.dev/v1alpha1';
export const natsKind = 'NatsCluster';

/** Subject allow/deny lists, as in a nats-server `permissions` block. */
export interface SubjectPermission {
  allow?: string[];
  deny?: string[];
}

export interface UserPermissions {
  publish?: SubjectPermission;
  subscribe?: SubjectPermission;
}

/** A user of the tenant's NATS server. Its password is generated and kept in its own Secret. */
export interface NatsUser {
  name: string;
  /** Omitted: the default permissions (`<prefix>.>` and `_INBOX.>`, both directions). */
  permissions?: UserPermissions;
}

export interface ResourceRequirements {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

export interface NatsClusterSpec {
  /** 1, or a cluster of 3 or more with routes (the CRD refuses 2). */
  replicas?: number;
  image?: string;
  jetstream?: {
    enabled?: boolean;
    storage?: { size?: string; storageClassName?: string; retainOnDelete?: boolean };
    /** Upper bound of JetStream memory storage, a Kubernetes quantity. */
    memory?: string;
  };
  /** Users in addition to the default user; an entry named like the default user replaces its permissions. */
  users?: NatsUser[];
  monitoring?: { port?: number };
  resources?: ResourceRequirements;
}

export const natsPhases = ['Pending', 'Provisioning', 'Ready', 'Failed'] as const;
export type NatsPhase = (typeof natsPhases)[number];

export interface NatsClusterStatus {
  phase?: NatsPhase;
  observedGeneration?: number;
  conditions?: Condition[];
  /** `nats://<client-service>.<namespace>.svc:4222` */
  url?: string;
  /** The Secret holding the default user's `username` and `password`. */
  secretName?: string;
  /** Every user's Secret, by user name. */
  userSecrets?: Record<string, string>;
  readyReplicas?: number;
}

export interface NatsCluster extends KubeObject {
  spec?: NatsClusterSpec;
  status?: NatsClusterStatus;
}

/** The spec with every default applied and the default user merged into `users`. */
export interface ResolvedNatsSpec {
  replicas: number;
  image: string;
  jetstream: { enabled: boolean; storageSize: string; storageClassName?: string; retainOnDelete: boolean; memory: string };
  users: Required<NatsUser>[];
  monitoringPort: number;
  resources?: ResourceRequirements;
  /** The subject prefix of the default user: the tenant name, else the CR name. */
  prefix: string;
}

export const defaultNatsImage = 'nats:2.10.22-alpine';
export const clientPort = 4222;
export const clusterPort = 6222;
export const defaultMonitoringPort = 8222;
export const jetstreamStoreDir = '/data/jetstream';
