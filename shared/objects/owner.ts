/** Owner references: how children point at the CR that made them (garbage collection and watch mapping). */
import type { KubeObject, OwnerReference } from '#shared/kube/types.ts';

/** A controller owner reference to `owner`, which must have been read from the API (it needs a uid). */
export function controllerReference(owner: KubeObject): OwnerReference {
  const { name, uid } = owner.metadata;
  if (!name || !uid) throw new Error(`controllerReference: ${owner.kind} has no name or uid (was it read from the API?)`);
  return { apiVersion: owner.apiVersion, kind: owner.kind, name, uid, controller: true, blockOwnerDeletion: true };
}

/** The controller owner of an object, if any. */
export function controllerOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/**
 * The `namespace/name` key of the object's controller owner when that owner is a Nimbus custom resource of `kind`
 * (a child in the owner's namespace): what a watch on owned children maps a change to.
 */
export function nimbusOwnerKey(object: KubeObject, kind: string): string | undefined {
  const owner = controllerOf(object);
  if (owner?.kind !== kind || !owner.apiVersion.startsWith('nimbus.dev/')) return undefined;
  return `${object.metadata.namespace ?? ''}/${owner.name}`;
}
