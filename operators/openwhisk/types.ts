/** The `OpenWhisk` custom resource (`openwhisks.nimbus.dev/v1alpha1`), as the operator reads it. Mirrors the CRD. */
import type { Condition, KubeObject } from '#shared/kube/types.ts';

export const openwhiskApiVersion = 'nimbus.dev/v1alpha1';
export const openwhiskKind = 'OpenWhisk';

/** The pinned controller image: the Nuvolaris build of the OpenWhisk controller that runs standalone/lean. */
export const defaultControllerImage = 'ghcr.io/nuvolaris/openwhisk-controller:0.3.0-morpheus.22122609';
/** The image the init Job and the controller's wait-for-database init container run curl in (non-root, uid 100). */
export const openwhiskInitImage = 'curlimages/curl:8.11.1';
/** The controller's HTTP port, and the port the Service exposes it on (the usual OpenWhisk API port). */
export const controllerPort = 8080;
export const apiPort = 3233;

export interface ResourceSpec {
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
}

export const defaultControllerResources: ResourceSpec = {
  requests: { cpu: '200m', memory: '1Gi' },
  limits: { memory: '2Gi' },
};

/** Per-namespace and per-action limits. Memory in megabytes, timeout in seconds. */
export interface OpenWhiskLimits {
  invocationsPerMinute?: number;
  concurrentInvocations?: number;
  firesPerMinute?: number;
  sequenceMaxLength?: number;
  /** Largest memory an action may ask for, in megabytes (MB). */
  actionMemoryMax?: number;
  /** Longest timeout an action may ask for, in seconds. */
  actionTimeoutMax?: number;
}

export const defaultLimits: Required<OpenWhiskLimits> = {
  invocationsPerMinute: 60,
  concurrentInvocations: 30,
  firesPerMinute: 60,
  sequenceMaxLength: 50,
  actionMemoryMax: 512,
  actionTimeoutMax: 300,
};

export interface OpenWhiskCouchDB {
  /** A `CouchDB` in the same namespace; its status gives the endpoint and the admin Secret. */
  ref?: { name: string };
  /** An external CouchDB, e.g. `https://couch.example.com:6984`; needs `secretRef`. */
  url?: string;
  /** With `url`: a Secret holding the CouchDB admin credentials. */
  secretRef?: { name: string; usernameKey?: string; passwordKey?: string };
  /** Prefix of the database names (`<prefix>subjects`, `<prefix>whisks`, `<prefix>activations`). */
  databasePrefix?: string;
}

export interface OpenWhiskSpec {
  couchdb: OpenWhiskCouchDB;
  image?: string;
  limits?: OpenWhiskLimits;
  /** OpenWhisk namespaces to create, each with its own auth key. Default: one named after the tenant, else the CR. */
  namespaces?: string[];
  resources?: ResourceSpec;
  /**
   * OpenWhisk's CouchDB design documents, provided by the user: a ConfigMap in this namespace whose keys
   * `<subjects|whisks|activations>--<name>.json` the init Job writes into that database. Without it none are written
   * and the controller cannot answer queries (status condition `DesignDocuments`).
   */
  designDocuments?: { configMapRef: { name: string } };
}

export const OpenWhiskPhases = ['Pending', 'Waiting', 'Provisioning', 'Ready', 'Failed'] as const;
export type OpenWhiskPhase = (typeof OpenWhiskPhases)[number];

export interface OpenWhiskStatus {
  phase?: OpenWhiskPhase;
  observedGeneration?: number;
  conditions?: Condition[];
  /** `http://<svc>.<ns>.svc:3233` */
  apiHost?: string;
  /** OpenWhisk namespace → the Secret holding its `auth` (`<uuid>:<key>`). */
  authSecrets?: Record<string, string>;
}

export interface OpenWhisk extends KubeObject {
  spec?: OpenWhiskSpec;
  status?: OpenWhiskStatus;
}
