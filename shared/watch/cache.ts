/**
 * The informer's in-memory view of one kind, keyed by `namespace/name` (or `name`). Objects are kept as compact JSON
 * text, not as parsed objects: a parsed Kubernetes object takes several times its JSON size on the V8 heap, and an
 * operator watching a few kinds cluster-wide holds tens of thousands of them at 1,000 tenants (bench/README.md).
 * Every read parses a fresh copy, so a caller can never corrupt the cache by mutating what it got.
 *
 * Per object the cache holds one string, `<resourceVersion> <json>`, in a map per namespace: no parsed labels or
 * per-entry records (they cost several hundred bytes per object), and a namespace's objects are listed without
 * walking the whole cluster's (mappers list one namespace on every event). A label selector is checked on the
 * parsed copy, which a list returns anyway.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { keyOf } from '#shared/controller/types.ts';
import { compileLabelSelector } from './selector.ts';

export interface CacheFilter {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
}

/** Read-only access for reconcilers and mappers. */
export interface ObjectCache<T extends KubeObject = KubeObject> {
  /** A fresh copy of the cached object. */
  get(key: string): T | undefined;
  /** Fresh copies of the matching objects. */
  list(filter?: CacheFilter): T[];
  /** The cached object's resourceVersion without a copy of it (undefined when absent). Optional for other caches. */
  resourceVersionOf?(key: string): string | undefined;
  readonly size: number;
}

/** `namespace/name` → [namespace ('' when cluster-scoped), name]. */
function split(key: string): [string, string] {
  const slash = key.indexOf('/');
  return slash < 0 ? ['', key] : [key.slice(0, slash), key.slice(slash + 1)];
}

/** The JSON part of a stored `<resourceVersion> <json>` entry (a slice: no copy). */
function jsonOf(entry: string): string {
  return entry.slice(entry.indexOf(' ') + 1);
}

export class MapCache<T extends KubeObject = KubeObject> implements ObjectCache<T> {
  /** namespace ('' for cluster-scoped objects) → name → `<resourceVersion> <json>`. */
  private readonly namespaces = new Map<string, Map<string, string>>();
  private count = 0;

  get size(): number { return this.count; }

  private entry(key: string): string | undefined {
    const [namespace, name] = split(key);
    return this.namespaces.get(namespace)?.get(name);
  }

  get(key: string): T | undefined {
    const entry = this.entry(key);
    return entry === undefined ? undefined : JSON.parse(jsonOf(entry)) as T;
  }

  /** The cached object's resourceVersion, without parsing it. */
  resourceVersionOf(key: string): string | undefined {
    const entry = this.entry(key);
    if (entry === undefined) return undefined;
    const rv = entry.slice(0, entry.indexOf(' '));
    return rv === '' ? undefined : rv;
  }

  has(key: string): boolean { return this.entry(key) !== undefined; }

  keys(): string[] {
    const out: string[] = [];
    for (const [namespace, names] of this.namespaces) {
      for (const name of names.keys()) out.push(namespace ? `${namespace}/${name}` : name);
    }
    return out;
  }

  list(filter: CacheFilter = {}): T[] {
    const matches = compileLabelSelector(filter.labelSelector);
    const out: T[] = [];
    const scopes = filter.namespace === undefined ? [...this.namespaces.values()] : [this.namespaces.get(filter.namespace)];
    for (const names of scopes) {
      for (const entry of names?.values() ?? []) {
        const object = JSON.parse(jsonOf(entry)) as T;
        if (matches(object.metadata.labels)) out.push(object);
      }
    }
    return out;
  }

  set(object: T): void {
    const [namespace, name] = split(keyOf(object));
    let names = this.namespaces.get(namespace);
    if (!names) {
      names = new Map();
      this.namespaces.set(namespace, names);
    }
    const before = names.size;
    names.set(name, `${object.metadata.resourceVersion ?? ''} ${JSON.stringify(object)}`);
    this.count += names.size - before;
  }

  delete(key: string): void {
    const [namespace, name] = split(key);
    const names = this.namespaces.get(namespace);
    if (!names?.delete(name)) return;
    this.count--;
    // A deleted tenant's namespace leaves nothing behind.
    if (names.size === 0) this.namespaces.delete(namespace);
  }
}
