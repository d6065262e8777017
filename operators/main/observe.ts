/**
 * What the main operator reads for one Tenant: its Namespace, its child CRs and the Secrets the credentials step
 * needs. With the controller's informer caches (the normal case) a reconcile reads no API at all: a child or Secret
 * missing from the cache is taken as absent (its creation's watch event wakes the tenant again, and re-applying what
 * exists is a no-op), and a child's `ready` completion event that arrived before the watch event stands in for the
 * cache through a `CompletionHints` (so the next step starts on the event, not on the watch). Without caches (tests
 * that turn the watches off) everything is read from the API server.
 */
import type { Deps } from '#shared/controller/types.ts';
import type { KindRef, KubeObject } from '#shared/kube/types.ts';
import type { ObjectCache } from '#shared/watch/cache.ts';
import type { CompletionHints } from './completion-hints.ts';
import { credentialSecretNames, type TenantObserved } from './credentials.ts';
import { childCrName, childKinds, tenantNamespace } from './desired.ts';
import { blockNames, tenantApiVersion, type BlockName, type Tenant } from './types.ts';

/** The informer cache of a kind, when the controller keeps one (`controller.cacheOf`). */
export type CacheLookup = (kind: KindRef) => ObjectCache | undefined;

export const namespaceKind = { apiVersion: 'v1', kind: 'Namespace' } as const;
export const secretKind = { apiVersion: 'v1', kind: 'Secret' } as const;

/** The KindRef of a block's child CR. */
export function childKindRef(block: BlockName): KindRef {
  return { apiVersion: tenantApiVersion, kind: childKinds[block] };
}

/** Where observe reads from: the informer caches and the completion events not yet in them. */
export interface ObserveSources {
  cacheOf?: CacheLookup | undefined;
  hints?: CompletionHints | undefined;
  nowMs?: number | undefined;
  nowIso?: string | undefined;
}

function fromCacheOrApi(cache: ObjectCache | undefined, key: string, read: () => Promise<KubeObject | undefined>): Promise<KubeObject | undefined> {
  return cache ? Promise.resolve(cache.get(key)) : read();
}

/** Reads the world of `tenant` (every block's child, enabled or not: a disabled block may have leftovers). */
export async function observe(tenant: Tenant, deps: Pick<Deps, 'kube'>, sources: ObserveSources = {}): Promise<TenantObserved> {
  const { cacheOf = () => undefined, hints } = sources;
  const namespace = tenantNamespace(tenant);
  const name = childCrName(tenant);
  const namespaceRead = fromCacheOrApi(cacheOf(namespaceKind), namespace, () => deps.kube.tryGet({ ...namespaceKind, name: namespace }));
  const childReads = blockNames.map((block) => fromCacheOrApi(
    cacheOf(childKindRef(block)), `${namespace}/${name}`, () => deps.kube.tryGet({ ...childKindRef(block), namespace, name }),
  ));
  const [namespaceObject, ...children] = await Promise.all([namespaceRead, ...childReads]);
  const observed: TenantObserved = { namespace: namespaceObject, children: {}, secrets: {} };
  blockNames.forEach((block, i) => {
    const child = children[i];
    if (!child) return;
    if (!hints) {
      observed.children[block] = child;
      return;
    }
    const overlaid = hints.overlay(child, sources.nowMs ?? Date.now(), sources.nowIso ?? new Date().toISOString());
    observed.children[block] = overlaid.child;
    if (overlaid.hinted) observed.hinted = [...(observed.hinted ?? []), block];
  });
  if (!namespaceObject) return observed;
  const names = credentialSecretNames(tenant, observed);
  const secretCache = cacheOf(secretKind);
  const secrets = await Promise.all(names.map((secret) => fromCacheOrApi(
    secretCache, `${namespace}/${secret}`, () => deps.kube.tryGet({ ...secretKind, namespace, name: secret }),
  )));
  observed.secrets = Object.fromEntries(names.map((secret, i) => [secret, secrets[i]]));
  return observed;
}
