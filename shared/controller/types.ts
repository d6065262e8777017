/**
 * The controller contract: a reconciler takes a key, reads the world, makes it so, and returns intent.
 * It never sleeps and never branches on create/update/delete: it is safe to run again at any time.
 */
import type { KubeClient, KubeObject } from '#shared/kube/types.ts';
import type { Bus } from '#shared/bus/types.ts';
import type { Logger } from '#shared/observability/logger.ts';
import type { Clock } from '#shared/clock/index.ts';

/** What every operator is given; only an operator's `main.ts` builds the real ones. */
export interface Deps {
  kube: KubeClient;
  bus: Bus;
  log: Logger;
  clock: Clock;
}

/** The identity of a reconciled object: `namespace/name`, or `name` for cluster-scoped kinds. */
export type ObjectKey = string;

export interface ReconcileResult {
  /** Run this key again after this many milliseconds (e.g. waiting on something that sends no event). */
  requeueAfterMs?: number;
}

/** Requeue intent, the `return requeueAfter(30_000)` of the style guide. */
export function requeueAfter(ms: number): ReconcileResult {
  return { requeueAfterMs: ms };
}
export const done: ReconcileResult = {};

export type Reconciler = (key: ObjectKey, deps: Deps) => Promise<ReconcileResult>;

/** Maps a changed object of another kind to the keys of the objects it should wake up. */
export type KeyMapper = (object: KubeObject) => ObjectKey[];

/** Parse `namespace/name` or `name`. */
export function parseKey(key: ObjectKey): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The key of an object. */
export function keyOf(object: { metadata: { name?: string; namespace?: string } }): ObjectKey {
  const { name = '', namespace } = object.metadata;
  return namespace ? `${namespace}/${name}` : name;
}
