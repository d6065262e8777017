/**
 * Reads for a component's `observe` of kinds the controller watches through a mapper (Secrets, ConfigMaps, other
 * operators' CRs): the controller's client sends those reads to the API server (its caches answer for the reconciled
 * and owned kinds only), although the watch that wakes the reconcile keeps a synced cache of them. Every reconcile
 * of every tenant then costs a GET per referenced object. These helpers answer from that cache when its answer is
 * good enough, and ask the server otherwise; without a cache for the kind (a plain client, a label-selected watch)
 * they are `tryGet`.
 */
import { peekCache } from '#shared/controller/cached-client.ts';
import type { KubeClient, KubeObject, ObjectRef } from '#shared/kube/types.ts';

/**
 * A child this operator creates itself (a generated Secret): the cache's answer, absent included. A cache lagging a
 * create answers "absent" for a moment; that costs what a create-once meeting AlreadyExists costs, and the watch
 * event of the create reconciles again with the object in the cache.
 */
export async function readOwnChild<T extends KubeObject>(kube: KubeClient, ref: ObjectRef): Promise<T | undefined> {
  const cached = peekCache(kube, ref);
  return cached ? cached.object as T | undefined : kube.tryGet<T>(ref);
}

/**
 * An object the user or another operator writes (an admin Secret, a CouchDB): the cached copy when there is one and
 * `usable` accepts it, else the server's. The server is asked when the cache has nothing or something not usable
 * yet, because what woke the reconcile (a NATS event, a user's create) may be ahead of this process's watch; once the
 * object is there and usable (the common case from then on) no request is made. A cached copy that is usable but
 * stale is corrected by the watch event that makes the cache current, which reconciles again.
 */
export async function readReferenced<T extends KubeObject>(
  kube: KubeClient, ref: ObjectRef, usable: (object: T) => boolean = () => true,
): Promise<T | undefined> {
  const cached = peekCache(kube, ref)?.object as T | undefined;
  return cached && usable(cached) ? cached : kube.tryGet<T>(ref);
}
