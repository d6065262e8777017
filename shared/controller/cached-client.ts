/**
 * The client a reconciler is given: reads (get, tryGet, label-selected lists) of the kinds the controller reconciles
 * and owns come from its informer caches, writes go to the API server. controller-runtime's
 * delegating client does the same: a reconcile that reads its object and its children costs no request, so the API
 * server sees writes only. The cache may lag a write by one watch event; reconcilers are level-triggered and the
 * event of that write reconciles again, and optimistic-concurrency writes (finalizers) fail with a ConflictError that
 * the controller retries at once.
 */
import type { KindRef, KubeClient, KubeObject, ListOptions, ObjectList, ObjectRef } from '#shared/kube/types.ts';
import type { ObjectCache } from '#shared/watch/cache.ts';
import { isPartial } from '#shared/watch/transform.ts';

/** The synced cache that holds every object of `ref`'s kind in `ref`'s namespace, if there is one. */
export type CacheLookup = (kind: KindRef, namespace: string | undefined) => ObjectCache | undefined;

function keyOfRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}

/** The caches `peekCache` may look at, per client `cachedReads` made. */
const peekLookups = new WeakMap<KubeClient, CacheLookup>();

/**
 * What the controller's caches hold for `ref`, without a request: `{ object }` (undefined when absent from a cache
 * that covers the kind, which may lag a moment), or `undefined` when there is no cache for the kind.
 */
export function peekCache(kube: KubeClient, ref: ObjectRef): { object: KubeObject | undefined } | undefined {
  const cache = peekLookups.get(kube)?.({ apiVersion: ref.apiVersion, kind: ref.kind }, ref.namespace);
  if (!cache) return undefined;
  const object = cache.get(keyOfRef(ref));
  // A cache that trimmed what readers need (another operator's Secret data) knows the object exists, not what it
  // holds: no answer, so the caller asks the server.
  return object && isPartial(object) ? undefined : { object };
}

/**
 * The resourceVersion the controller's caches hold for `ref`, without a copy of the object: `{ resourceVersion }`
 * (undefined when absent), or `undefined` when no cache covers the kind or the cache cannot tell. For "is it still
 * the version I checked?" questions (skip-apply); a trimmed copy is fine for those, as the version names the object.
 */
export function peekCacheVersion(kube: KubeClient, ref: ObjectRef): { resourceVersion: string | undefined } | undefined {
  const cache = peekLookups.get(kube)?.({ apiVersion: ref.apiVersion, kind: ref.kind }, ref.namespace);
  if (!cache?.resourceVersionOf) return undefined;
  return { resourceVersion: cache.resourceVersionOf(keyOfRef(ref)) };
}

/**
 * `kube` with get/tryGet served from the caches `lookup` finds; everything else passes through. `peekLookup` (default
 * `lookup`) may cover more kinds: `peekCache` answers "is it there?" questions whose wrong answer only costs a request
 * (a create that meets AlreadyExists, an apply that changes nothing).
 */
export function cachedReads(kube: KubeClient, lookup: CacheLookup, peekLookup: CacheLookup = lookup): KubeClient {
  const fromCache = (ref: ObjectRef): { cache: ObjectCache } | undefined => {
    const cache = lookup({ apiVersion: ref.apiVersion, kind: ref.kind }, ref.namespace);
    return cache ? { cache } : undefined;
  };
  const client: KubeClient = {
    get fieldManager() { return kube.fieldManager; },
    async get<T extends KubeObject>(ref: ObjectRef): Promise<T> {
      const hit = fromCache(ref);
      // The cache hands out a fresh copy: the reconciler may mutate it.
      const object = hit?.cache.get(keyOfRef(ref));
      // A miss may be an object created a moment ago: ask the server (which answers NotFound when it really is absent).
      return object && !isPartial(object) ? object as T : kube.get<T>(ref);
    },
    async tryGet<T extends KubeObject>(ref: ObjectRef): Promise<T | undefined> {
      const hit = fromCache(ref);
      if (!hit) return kube.tryGet<T>(ref);
      const object = hit.cache.get(keyOfRef(ref));
      if (object && isPartial(object)) return kube.tryGet<T>(ref);
      return object ? object as T : undefined;
    },
    async list<T extends KubeObject>(kind: KindRef, options: ListOptions = {}): Promise<ObjectList<T>> {
      // Only what the cache can answer exactly: a label selector at most (no field selector, paging or version).
      const plain = !options.fieldSelector && !options.limit && !options.continueToken && !options.resourceVersion;
      const cache = plain ? lookup({ apiVersion: kind.apiVersion, kind: kind.kind }, kind.namespace) : undefined;
      if (!cache) return kube.list<T>(kind, options);
      const filter = kind.namespace ? { namespace: kind.namespace, labelSelector: options.labelSelector } : { labelSelector: options.labelSelector };
      const items = cache.list(filter) as T[];
      if (items.some(isPartial)) return kube.list<T>(kind, options);
      // No resourceVersion: a list from the cache is not a point to watch from.
      return { items, resourceVersion: '' };
    },
    watch: (kind, options, onEvent) => kube.watch(kind, options, onEvent),
    apply: (object, options) => kube.apply(object, options),
    applyStatus: (object, options) => kube.applyStatus(object, options),
    patch: (ref, patch, type, options) => kube.patch(ref, patch, type, options),
    create: (object) => kube.create(object),
    delete: (ref, options) => kube.delete(ref, options),
  };
  peekLookups.set(client, peekLookup);
  return client;
}
