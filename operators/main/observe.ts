/**
 * What the main operator reads for one Tenant: its Namespace, its child CRs and the Secrets the credentials step
 * needs. Children come from the controller's informer caches when the cache already shows them Ready (the steady
 * state costs no API call); anything not Ready yet is read from the API server, the source of truth, so a wake-up
 * from a NATS event never acts on a cache that lags behind the event. Secrets come from the cache when it has them.
 */
import type { Deps } from '#shared/controller/types.ts';
import type { KindRef, KubeObject } from '#shared/kube/types.ts';
import type { ObjectCache } from '#shared/watch/cache.ts';
import { credentialSecretNames, type TenantObserved } from './credentials.ts';
import { childCrName, childKinds, tenantNamespace } from './desired.ts';
import { childState } from './step-state.ts';
import { blockNames, tenantApiVersion, type BlockName, type Tenant } from './types.ts';

/** The informer cache of a kind, when the controller keeps one (`controller.cacheOf`). */
export type CacheLookup = (kind: KindRef) => ObjectCache | undefined;

export const namespaceKind = { apiVersion: 'v1', kind: 'Namespace' } as const;
export const secretKind = { apiVersion: 'v1', kind: 'Secret' } as const;

/** The KindRef of a block's child CR. */
export function childKindRef(block: BlockName): KindRef {
  return { apiVersion: tenantApiVersion, kind: childKinds[block] };
}

function freshEnough(object: KubeObject | undefined, block: BlockName | undefined): object is KubeObject {
  if (!object || object.metadata.deletionTimestamp) return false;
  return block === undefined || childState(object, childKinds[block]).state === 'Ready';
}

/** Reads the world of `tenant` (every block's child, enabled or not: a disabled block may have leftovers). */
export async function observe(tenant: Tenant, deps: Pick<Deps, 'kube'>, cacheOf: CacheLookup = () => undefined): Promise<TenantObserved> {
  const namespace = tenantNamespace(tenant);
  const name = childCrName(tenant);
  const cachedNamespace = cacheOf(namespaceKind)?.get(namespace);
  const namespaceRead = freshEnough(cachedNamespace, undefined)
    ? Promise.resolve(cachedNamespace)
    : deps.kube.tryGet({ ...namespaceKind, name: namespace });
  const childReads = blockNames.map((block) => {
    const cache = cacheOf(childKindRef(block));
    const cached = cache?.get(`${namespace}/${name}`);
    // Absent from the cache: taken as absent (workers start once the caches are synced). If it was created a moment
    // ago and the watch lags, the next step re-applies it (server-side apply: no change) and its event reconciles again.
    if (cache && !cached) return Promise.resolve(undefined);
    return freshEnough(cached, block) ? Promise.resolve(cached) : deps.kube.tryGet({ ...childKindRef(block), namespace, name });
  });
  const [namespaceObject, ...children] = await Promise.all([namespaceRead, ...childReads]);
  const observed: TenantObserved = { namespace: namespaceObject, children: {}, secrets: {} };
  blockNames.forEach((block, i) => {
    const child = children[i];
    if (child) observed.children[block] = child;
  });
  if (!namespaceObject) return observed;
  const names = credentialSecretNames(tenant, observed);
  // Secrets come from the label-selected Secret informer (controller.ts) when it holds them: a stale copy costs one
  // more reconcile (its watch event wakes the tenant again), never a wrong final state. A miss may be a Secret
  // created a moment ago, or one without the tenant label: the API server answers.
  const secretCache = cacheOf(secretKind);
  const secrets = await Promise.all(names.map((secret) => {
    const cached = secretCache?.get(`${namespace}/${secret}`);
    return cached ? Promise.resolve(cached) : deps.kube.tryGet({ ...secretKind, namespace, name: secret });
  }));
  observed.secrets = Object.fromEntries(names.map((secret, i) => [secret, secrets[i]]));
  return observed;
}
