/**
 * What an informer keeps of an object (client-go's `SetTransform`). A transform runs on every listed or watched object
 * before it is cached and handed to the event handler, so a cache holds only what its readers need. Trimmed
 * subtrees are replaced by a short digest (under `trimmedField`), so that a reader can still tell whether a trimmed
 * part changed: skip-apply compares it with the digest of the object its own apply returned (drift detection).
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '#shared/kube/types.ts';

export type ObjectTransform = (object: KubeObject) => KubeObject;

/** The top-level member of a trimmed object that maps each trimmed path (`spec.template`) to its digest. */
export const trimmedField = 'nimbus.dev/trimmed';

/** A path of member names, e.g. `['spec', 'template']`. */
export type FieldPath = readonly string[];

/** A short digest of a JSON value (96 bits of SHA-1: collisions are not a concern for change detection). */
export function digestOf(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value) ?? '').digest('base64').slice(0, 16);
}

function valueAt(object: unknown, path: FieldPath): unknown {
  let current = object;
  for (const name of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  return current;
}

/** A copy of `object` without the member at `path` (copying only the records along the path). */
function without(object: Record<string, unknown>, path: FieldPath): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined || !(head in object)) return object;
  const { [head]: child, ...others } = object;
  if (rest.length === 0) return others;
  if (typeof child !== 'object' || child === null || Array.isArray(child)) return object;
  return { ...others, [head]: without(child as Record<string, unknown>, rest) };
}

/** The digests of `object`'s subtrees at `paths` (absent subtrees are left out). */
export function digestsAt(object: KubeObject, paths: readonly FieldPath[]): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const path of paths) {
    const value = valueAt(object, path);
    if (value !== undefined) digests[path.join('.')] = digestOf(value);
  }
  return digests;
}

/** The digests a trimmed object carries, or undefined for an object that was not trimmed. */
export function trimmedDigests(object: KubeObject): Record<string, string> | undefined {
  const trimmed = object[trimmedField];
  return typeof trimmed === 'object' && trimmed !== null ? trimmed as Record<string, string> : undefined;
}

/** `desired` without the members at the trimmed paths of `live` (what can still be compared member by member). */
export function withoutTrimmed(desired: KubeObject, live: KubeObject): KubeObject {
  const digests = trimmedDigests(live);
  if (!digests) return desired;
  let out: Record<string, unknown> = desired;
  for (const path of Object.keys(digests)) out = without(out, path.split('.'));
  return out as KubeObject;
}

export interface TrimOptions {
  /**
   * The subtrees are part of the object's spec, which the API server versions by `metadata.generation` (workloads'
   * pod templates): their digests are kept per uid and reused while the generation stays the same, so that the many
   * status updates of a workload do not each cost a serialization and a hash of its template. Objects without uid
   * or generation are digested every time.
   */
  sameWhileGeneration?: boolean | undefined;
}

/** Digests kept per uid by a `sameWhileGeneration` transform; cleared when full (a lost entry costs one digest). */
const generationMemoLimit = 8192;

/** Replaces the subtrees at `paths` by their digests (under `trimmedField`); an object without them is kept as is. */
export function trimPaths(paths: readonly FieldPath[], options: TrimOptions = {}): ObjectTransform {
  const memo = options.sameWhileGeneration ? new Map<string, { generation: number; digests: Record<string, string> }>() : undefined;
  const digestsOf = (object: KubeObject): Record<string, string> => {
    const { uid, generation } = object.metadata;
    if (!memo || !uid || generation === undefined) return digestsAt(object, paths);
    const known = memo.get(uid);
    if (known?.generation === generation) return { ...known.digests };
    const digests = digestsAt(object, paths);
    if (memo.size >= generationMemoLimit) memo.clear();
    memo.set(uid, { generation, digests: { ...digests } });
    return digests;
  };
  return (object) => {
    const digests = digestsOf(object);
    if (Object.keys(digests).length === 0) return object;
    let out: Record<string, unknown> = object;
    for (const path of paths) out = without(out, path);
    return { ...out, [trimmedField]: digests } as unknown as KubeObject;
  };
}

/** One transform per kind name (`StatefulSet`…); objects of other kinds pass unchanged. */
export function transformByKind(transforms: Readonly<Record<string, ObjectTransform>>): ObjectTransform {
  return (object) => transforms[object.kind]?.(object) ?? object;
}

/**
 * The pod template of workloads (StatefulSet, Deployment, Job): usually most of the object, read by no reconciler
 * (they read `status` and `metadata.generation`), only compared by skip-apply, which the digest serves.
 */
export const podTemplatePaths: readonly FieldPath[] = [['spec', 'template']];
export const trimPodTemplates: ObjectTransform = transformByKind({
  StatefulSet: trimPaths(podTemplatePaths, { sameWhileGeneration: true }),
  Deployment: trimPaths(podTemplatePaths, { sameWhileGeneration: true }),
  Job: trimPaths(podTemplatePaths, { sameWhileGeneration: true }),
});

/** The label every Nimbus child carries, naming the operator that manages it (`nimbus-couchdb`…). */
const managedByLabel = 'app.kubernetes.io/managed-by';
const dataPaths: readonly FieldPath[] = [['data'], ['binaryData'], ['stringData']];
const trimData = trimPaths(dataPaths);

/**
 * For a cluster-wide watch of Secrets or ConfigMaps that only maps events to owners: the data of what another Nimbus
 * operator manages (`app.kubernetes.io/managed-by: nimbus-…`, not `manager`) is replaced by its digest. This
 * operator's own objects and those of users (which its CRs may reference) are kept whole. A trimmed object is
 * partial (`isPartial`): reads that need it go to the API server (see `peekCache`).
 */
export function trimOtherOperatorsData(manager: string): ObjectTransform {
  return (object) => {
    const managedBy = object.metadata.labels?.[managedByLabel];
    return managedBy !== undefined && managedBy !== manager && managedBy.startsWith('nimbus-') ? trimData(object) : object;
  };
}

/** Paths that no reader needs (only skip-apply compares them, by digest): an object trimmed there only is complete. */
const unreadPaths = new Set(podTemplatePaths.map((path) => path.join('.')));

/** True when the object lost something a reader may need: it must not stand in for the server's copy. */
export function isPartial(object: KubeObject): boolean {
  const digests = trimmedDigests(object);
  return digests !== undefined && Object.keys(digests).some((path) => !unreadPaths.has(path));
}
