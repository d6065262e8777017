/** Which watch events of the reconciled kind are worth a reconcile. */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '#shared/kube/types.ts';

/** Metadata without what every write changes. */
function comparableMetadata(object: KubeObject): Record<string, unknown> {
  const { resourceVersion: _rv, managedFields: _mf, ...rest } = object.metadata;
  return rest;
}

/** Everything but metadata and status (spec, data, …). */
function body(object: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, status: _status, ...rest } = object;
  return rest;
}

/**
 * True when `next` differs from `previous` only in `status` (and resourceVersion): the reconciler's own status
 * write coming back through the watch. Reconcilers compute status from the world, never from a previous status
 * write, so such an event is skipped (controller-runtime users get the same with GenerationChangedPredicate, which
 * also skips metadata changes; this keeps those).
 */
export function onlyStatusChanged(previous: KubeObject, next: KubeObject): boolean {
  return isDeepStrictEqual(comparableMetadata(previous), comparableMetadata(next)) && isDeepStrictEqual(body(previous), body(next));
}
