/**
 * Writes status only when it changed, so that a reconcile that finds everything in order causes no write, hence no
 * watch event, hence no further reconcile (no reconcile storm).
 */
import type { KubeClient, KubeObject, ObjectRef } from '#shared/kube/types.ts';
import { isDeepStrictEqual } from 'node:util';

/** Drops `undefined` members, which JSON would drop too, so that comparison is against what would be stored. */
function normalize(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value)) as unknown;
}

/**
 * Merge-patches `/status` with `status` when it differs from `object.status` (deep compare, key order ignored).
 * Returns whether it wrote. Fields of the old status absent from the new one are removed (set to null).
 */
export async function writeStatusIfChanged(kube: KubeClient, object: KubeObject, status: Record<string, unknown>): Promise<boolean> {
  const current = normalize(object['status'] ?? {});
  const next = normalize(status) as Record<string, unknown>;
  if (isDeepStrictEqual(current, next)) return false;
  const patch: Record<string, unknown> = { ...next };
  if (typeof current === 'object' && current !== null) {
    for (const key of Object.keys(current)) if (!(key in next)) patch[key] = null;
  }
  const { name = '', namespace } = object.metadata;
  const ref: ObjectRef = namespace ? { apiVersion: object.apiVersion, kind: object.kind, name, namespace } : { apiVersion: object.apiVersion, kind: object.kind, name };
  await kube.patch(ref, { status: patch }, 'merge', { subresource: 'status' });
  return true;
}
