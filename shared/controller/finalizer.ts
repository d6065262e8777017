/**
 * Finalizers: added before the first change to the world, removed only after cleanup succeeded. Both use a JSON
 * patch with a `test` of the current list, so a concurrent writer causes a retryable conflict instead of a lost update.
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
  const current = object.metadata.finalizers;
  const patch = current
    ? [{ op: 'test', path: '/metadata/finalizers', value: current }, { op: 'add', path: '/metadata/finalizers/-', value: finalizer }]
    : [{ op: 'add', path: '/metadata/finalizers', value: [finalizer] }];
  return kube.patch<T>(refOf(object), patch, 'json');
}

/** Removes `finalizer` when present. Call only after the cleanup it guards has succeeded. */
export async function removeFinalizer<T extends KubeObject>(kube: KubeClient, object: T, finalizer: string): Promise<T> {
  const current = object.metadata.finalizers ?? [];
  const index = current.indexOf(finalizer);
  if (index < 0) return object;
  const patch = [
    { op: 'test', path: '/metadata/finalizers', value: current },
    { op: 'remove', path: `/metadata/finalizers/${index}` },
  ];
  return kube.patch<T>(refOf(object), patch, 'json');
}
