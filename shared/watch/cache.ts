/**
 * The informer's in-memory view of one kind, keyed by `namespace/name` (or `name`). Objects are kept as compact JSON
 * text, not as parsed objects: a parsed Kubernetes object takes several times its JSON size on the V8 heap, and an
 * operator watching a few kinds cluster-wide holds tens of thousands of them at 1,000 tenants (bench/README.md).
 * Every read parses a fresh copy, so a caller can never corrupt the cache by mutating what it got.
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
  readonly size: number;
}

interface Entry {
  json: string;
  resourceVersion: string | undefined;
  namespace: string | undefined;
  labels: Record<string, string> | undefined;
}

export class MapCache<T extends KubeObject = KubeObject> implements ObjectCache<T> {
  private readonly entries = new Map<string, Entry>();

  get size(): number { return this.entries.size; }

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    return entry ? JSON.parse(entry.json) as T : undefined;
  }

  /** The cached object's resourceVersion, without parsing it. */
  resourceVersionOf(key: string): string | undefined {
    return this.entries.get(key)?.resourceVersion;
  }

  has(key: string): boolean { return this.entries.has(key); }

  keys(): string[] { return [...this.entries.keys()]; }

  list(filter: CacheFilter = {}): T[] {
    const matches = compileLabelSelector(filter.labelSelector);
    const out: T[] = [];
    for (const entry of this.entries.values()) {
      if ((filter.namespace === undefined || entry.namespace === filter.namespace) && matches(entry.labels)) out.push(JSON.parse(entry.json) as T);
    }
    return out;
  }

  set(object: T): void {
    const { resourceVersion, namespace, labels } = object.metadata;
    this.entries.set(keyOf(object), { json: JSON.stringify(object), resourceVersion, namespace, labels });
  }

  delete(key: string): void { this.entries.delete(key); }
}
