/**
 * The Kubernetes object model as Nimbus code sees it. Plain JSON shapes, no client-node classes, so that pure code
 * (desired-state functions, the sim, tests) never depends on the client library.
 */

/** An owner reference, as in `metadata.ownerReferences`. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** The subset of ObjectMeta Nimbus reads or writes; the rest is carried through untouched. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

/** Any Kubernetes object. `spec`/`status`/`data` stay `unknown`-typed; each operator narrows its own kind. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** Identifies one object. `namespace` is absent for cluster-scoped kinds. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** Identifies a collection: a kind, optionally in one namespace. */
export interface KindRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
}

/** A standard status condition (metav1.Condition). */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
}

export interface ObjectList<T extends KubeObject = KubeObject> {
  items: T[];
  /** The list's resourceVersion: the point a watch continues from. */
  resourceVersion: string;
  continueToken?: string;
}

export const WatchEventTypes = ['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'] as const;
export type WatchEventType = (typeof WatchEventTypes)[number];

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** Server-side timeout: the server ends the stream after this many seconds. */
  timeoutSeconds?: number;
}

/** A running watch stream: `done` settles when the server ends it (resolve) or it breaks (reject). */
export interface WatchHandle {
  done: Promise<void>;
  abort(): void;
}

export interface ApplyOptions {
  /** Take ownership of fields another manager owns (server-side apply `force=true`). Default true for operators. */
  force?: boolean;
  dryRun?: boolean;
}

export const PatchTypes = ['merge', 'json', 'strategic'] as const;
export type PatchType = (typeof PatchTypes)[number];

/** Options of `KubeClient.patch` (added by H6; optional, so existing callers are unaffected). */
export interface PatchOptions {
  subresource?: 'status' | undefined;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
}

/**
 * The one interface every operator uses to talk to Kubernetes. Implemented by `shared/kube/client.ts` over
 * `@kubernetes/client-node`; errors are the typed errors of `shared/kube/errors.ts`.
 */
export interface KubeClient {
  get<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T>;
  /** Like get, but `undefined` for 404 instead of throwing NotFoundError. */
  tryGet<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T | undefined>;
  list<T extends KubeObject = KubeObject>(kind: KindRef, options?: ListOptions): Promise<ObjectList<T>>;
  watch(kind: KindRef, options: WatchOptions, onEvent: (event: WatchEvent) => void): Promise<WatchHandle>;
  /** Server-side apply of a full desired object with this client's field manager. Returns the object as stored. */
  apply<T extends KubeObject = KubeObject>(object: KubeObject, options?: ApplyOptions): Promise<T>;
  /** Server-side apply to the `/status` subresource. `object` needs apiVersion, kind, metadata.name(/namespace), status. */
  applyStatus<T extends KubeObject = KubeObject>(object: KubeObject, options?: ApplyOptions): Promise<T>;
  /** Patch the object, or its `status` subresource when `options.subresource` says so (added by H6). */
  patch<T extends KubeObject = KubeObject>(ref: ObjectRef, patch: unknown, type: PatchType, options?: PatchOptions): Promise<T>;
  /** Create (POST); AlreadyExistsError when it exists. Used where "never overwrite" matters (generated Secrets). */
  create<T extends KubeObject = KubeObject>(object: KubeObject): Promise<T>;
  /** Delete; resolves quietly when the object is already gone. */
  delete(ref: ObjectRef, options?: DeleteOptions): Promise<void>;
  /** The field manager this client applies with, e.g. `nimbus-couchdb`. */
  readonly fieldManager: string;
}
