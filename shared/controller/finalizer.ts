/**
 * Finalizers: added before the first change to the world, removed only after cleanup succeeded. Both write the whole
 * list in a merge patch carrying the object's resourceVersion, so a concurrent writer causes a ConflictError (which
 * the controller retries) instead of a lost update.
 */
import type { KubeClient, KubeObject, ObjectRef } from '#shared/kube/types.ts';

function refOf(object: KubeObject): ObjectRef {
  const { name = '', namespace } = object.metadata;
  return namespace ? { apiVersion: object.apiVersion, kind: object.kind, name, namespace } : { apiVersion: object.apiVersion, kind: object.kind, name };
}

/** True when the object carries `finalizer`. */
export function hasFinalizer(object: KubeObject, finalizer: string): boolean {
  return object.metadata.finalizers?.includes(finalizer) ?? false;
}

/** Adds `finalizer` when missing; returns the object as stored (unchanged object when nothing was needed). */
export async function ensureFinalizer<T extends KubeObject>(kube: KubeClient, object: T, finalizer: string): Promise<T> {
  if (hasFinalizer(object, finalizer)) return object;
  const finalizers = [...(object.metadata.finalizers ?? []), finalizer];
  return kube.patch<T>(refOf(object), { metadata: { resourceVersion: object.metadata.resourceVersion, finalizers } }, 'merge');
}

/** Removes `finalizer` when present. Call only after the cleanup it guards has succeeded. */
export async function removeFinalizer<T extends KubeObject>(kube: KubeClient, object: T, finalizer: string): Promise<T> {
  if (!hasFinalizer(object, finalizer)) return object;
  const finalizers = (object.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  return kube.patch<T>(refOf(object), { metadata: { resourceVersion: object.metadata.resourceVersion, finalizers } }, 'merge');
}
