/** The `CouchDB` custom resource (`couchdbs.nimbus.dev/v1alpha1`), as the operator reads it. Mirrors the CRD schema. */
import type { Condition, KubeObject } from '#shared/kube/types.ts';

export const couchdbApiVersion = 'nimbus.dev/v1alpha1';
export const couchdbKind = 'CouchDB';

/** The pinned CouchDB image (also the CRD default). */
export const defaultCouchDBImage = 'couchdb:3.4.2';
/** The image the init Job runs its curl script in (non-root, uid 100). */
export const couchdbInitImage = 'curlimages/curl:8.11.1';
export const defaultStorageSize = '1Gi';
export const defaultCouchDBResources: ResourceSpec = {
  requests: { cpu: '100m', memory: '256Mi' },
  limits: { memory: '1Gi' },
};
/** The CouchDB HTTP port. */
export const couchdbPort = 5984;

/** Requests/limits as Kubernetes quantities (strings). */
export interface ResourceSpec {
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
}

export interface CouchDBStorage {
  /** PVC size per replica (Kubernetes quantity), default `1Gi`. */
  size?: string;
  /** StorageClass of the PVCs; the cluster default when absent. */
  storageClassName?: string;
  /** Keep the PVCs when the CouchDB is deleted. */
  retainOnDelete?: boolean;
}

export interface CouchDBSpec {
  /** 1 (single node) or 3+ (cluster). Default 1. */
  replicas?: number;
  /** CouchDB 3.x image reference. */
  image?: string;
  storage?: CouchDBStorage;
  resources?: ResourceSpec;
  /** Databases to create (besides `_users` and `_replicator`). */
  databases?: string[];
  /** A Secret with keys `username` and `password` to use as admin instead of a generated one. */
  adminSecretRef?: { name: string };
}

export const CouchDBPhases = ['Pending', 'Provisioning', 'Ready', 'Failed'] as const;
export type CouchDBPhase = (typeof CouchDBPhases)[number];

export interface CouchDBStatus {
  phase?: CouchDBPhase;
  observedGeneration?: number;
  conditions?: Condition[];
  /** `http://<client-svc>.<ns>.svc:5984` */
  endpoint?: string;
  /** The Secret holding the admin `username` and `password`. */
  secretName?: string;
  readyReplicas?: number;
}

export interface CouchDB extends KubeObject {
  spec?: CouchDBSpec;
  status?: CouchDBStatus;
}

/** The spec with every default applied (the CRD defaults, repeated here so code never depends on them). */
export interface CouchDBSettings {
  replicas: number;
  image: string;
  storageSize: string;
  storageClassName: string | undefined;
  retainOnDelete: boolean;
  resources: ResourceSpec;
  databases: string[];
  adminSecretRef: string | undefined;
}

/** Applies defaults to a CR's spec. */
export function settingsOf(cr: CouchDB): CouchDBSettings {
  const spec = cr.spec ?? {};
  return {
    replicas: spec.replicas ?? 1,
    image: spec.image ?? defaultCouchDBImage,
    storageSize: spec.storage?.size ?? defaultStorageSize,
    storageClassName: spec.storage?.storageClassName || undefined,
    retainOnDelete: spec.storage?.retainOnDelete ?? false,
    resources: spec.resources ?? defaultCouchDBResources,
    databases: [...new Set(spec.databases ?? [])],
    adminSecretRef: spec.adminSecretRef?.name || undefined,
  };
}
