/** The informer's in-memory view of one kind, keyed by `namespace/name` (or `name`). */
import type { KubeObject } from '#shared/kube/types.ts';
import { keyOf } from '#shared/controller/types.ts';
import { compileLabelSelector } from './selector.ts';

export interface CacheFilter {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
}

/** Read-only access for reconcilers and mappers. */
export interface ObjectCache<T extends KubeObject = KubeObject> {
  get(key: string): T | undefined;
  list(filter?: CacheFilter): T[];
  readonly size: number;
}

export class MapCache<T extends KubeObject = KubeObject> implements ObjectCache<T> {
  readonly objects = new Map<string, T>();

  get size(): number { return this.objects.size; }

  get(key: string): T | undefined { return this.objects.get(key); }

  list(filter: CacheFilter = {}): T[] {
    const matches = compileLabelSelector(filter.labelSelector);
    return [...this.objects.values()].filter((object) =>
      (filter.namespace === undefined || object.metadata.namespace === filter.namespace) && matches(object.metadata.labels));
  }

  set(object: T): void { this.objects.set(keyOf(object), object); }

  delete(key: string): void { this.objects.delete(key); }
}
