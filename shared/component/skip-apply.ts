/**
 * Skipping server-side applies that would change nothing. A component reconcile re-applies every child, and under
 * load a tenant's children are reconciled ten times or more (one per watch event wave): most of those applies are
 * no-ops that still cost a request, a schema check and a managedFields merge on the API server. An apply is skipped
 * when (1) this process applied exactly the same desired object before, and (2) the controller's cache shows every
 * field of it with the same value. (1) guarantees that no field we used to set has been dropped from the desired
 * object (SSA would remove it); (2) catches drift, i.e. someone changed or removed a field we set. Fields other
 * managers own are never touched by an apply anyway. A restart forgets (1): the first reconcile applies everything.
 *
 * A cache may keep a trimmed form of its objects (`#shared/watch/transform.ts`: a workload's pod template replaced by
 * its digest). (2) then compares what is left member by member, and each trimmed part by digest: the live part must
 * still be what our last apply returned (recorded by `remember(desired, stored)`), so a change of it is still drift.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { digestOf, digestsAt, podTemplatePaths, trimmedDigests, trimmedField, withoutTrimmed } from '#shared/watch/transform.ts';
import type { FieldPath } from '#shared/watch/transform.ts';

/** True when every member of `desired` is present in `live` with the same value (arrays: same length, element-wise). */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (desired === live) return true;
  if (Array.isArray(desired)) {
    return Array.isArray(live) && live.length === desired.length && desired.every((item, i) => isSubset(item, live[i]));
  }
  if (typeof desired === 'object' && desired !== null) {
    if (typeof live !== 'object' || live === null || Array.isArray(live)) return false;
    const liveRecord = live as Record<string, unknown>;
    return Object.entries(desired as Record<string, unknown>).every(([key, value]) => value === undefined || isSubset(value, liveRecord[key]));
  }
  return false;
}

/**
 * Remembers what was applied, per child, to answer "would this apply change anything?". Per child it keeps one short
 * string: the digest of the desired object, then the digests of the stored object's `trimmablePaths` (what a
 * trimming cache can only compare by digest).
 */
export class AppliedMemory {
  private readonly applied = new Map<string, string>();
  private readonly trimmablePaths: readonly FieldPath[];

  /** `trimmablePaths`: what the caches may trim (default: workloads' pod templates, `trimPodTemplates`). */
  constructor(trimmablePaths: readonly FieldPath[] = podTemplatePaths) {
    this.trimmablePaths = trimmablePaths;
  }

  /** The child's identity, as a short digest (16 characters per child instead of its full name). */
  private static key(object: KubeObject): string {
    return digestOf(`${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`);
  }

  /** Children remembered (for tests and diagnostics). */
  get size(): number { return this.applied.size; }

  /**
   * True when `desired` was applied before as is and `live` (the cached child, maybe trimmed) still shows all of it.
   * A child that is gone (`live` undefined) is forgotten: its next apply is a create.
   */
  unchanged(desired: KubeObject, live: KubeObject | undefined): boolean {
    const key = AppliedMemory.key(desired);
    const recorded = this.applied.get(key);
    if (!live) {
      if (recorded !== undefined) this.applied.delete(key);
      return false;
    }
    if (recorded === undefined || !recorded.startsWith(digestOf(desired))) return false;
    const trimmed = trimmedDigests(live);
    if (!trimmed) return isSubset(desired, live);
    // Every trimmed part of the live object must be as our last apply stored it.
    for (const [path, digest] of Object.entries(trimmed)) {
      if (!recorded.includes(` ${path}=${digest}`)) return false;
    }
    const { [trimmedField]: _digests, ...rest } = live;
    return isSubset(withoutTrimmed(desired, live), rest);
  }

  /** `desired` was applied; `stored` is what the server returned (needed to skip against a trimming cache). */
  remember(desired: KubeObject, stored?: KubeObject): void {
    let value = digestOf(desired);
    if (stored) {
      for (const [path, digest] of Object.entries(digestsAt(stored, this.trimmablePaths))) value += ` ${path}=${digest}`;
    }
    this.applied.set(AppliedMemory.key(desired), value);
  }

  forget(desired: KubeObject): void {
    this.applied.delete(AppliedMemory.key(desired));
  }
}
