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

/**
 * A 52-bit FNV-1a-style hash of `text` in base 36 (two 26-bit halves: exact in doubles, no BigInt). For keys whose
 * collisions are harmless; a few hundred nanoseconds where `createHash` costs microseconds.
 */
export function shortStringHash(text: string): string {
  let low = 0x811c9dc5 & 0x3ffffff;
  let high = 0x1000193;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    low = Math.imul(low ^ code, 0x1000193) & 0x3ffffff;
    high = Math.imul(high ^ code ^ (low >>> 13), 0x5bd1e995) & 0x3ffffff;
  }
  return (high * 0x4000000 + low).toString(36);
}

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
 * trimming cache can only compare by digest), then ` @<resourceVersion>` of the version known to show all of it.
 */
export class AppliedMemory {
  private readonly applied = new Map<string, string>();
  private readonly digests = new WeakMap<KubeObject, string>();
  private readonly trimmablePaths: readonly FieldPath[];

  /** `trimmablePaths`: what the caches may trim (default: workloads' pod templates, `trimPodTemplates`). */
  constructor(trimmablePaths: readonly FieldPath[] = podTemplatePaths) {
    this.trimmablePaths = trimmablePaths;
  }

  /**
   * The child's identity, as a short hash (about 13 characters per child instead of its full name). Not a
   * cryptographic digest (a SHA-1 per child per reconcile was a quarter of `unchanged`): two children whose keys
   * collide only cost applies, never a wrong skip, because the recorded value starts with the digest of the desired
   * object, which names the child.
   */
  private static key(object: KubeObject): string {
    return shortStringHash(`${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`);
  }

  /**
   * The digest of a desired object, computed once for `unchanged` and the `remember` that follows its apply (the
   * reconciler passes the same object to both and does not change it in between).
   */
  private digest(desired: KubeObject): string {
    let digest = this.digests.get(desired);
    if (digest === undefined) {
      digest = digestOf(desired);
      this.digests.set(desired, digest);
    }
    return digest;
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
    if (recorded === undefined || !recorded.startsWith(this.digest(desired))) return false;
    if (!AppliedMemory.shows(desired, live, recorded)) return false;
    // This version of the child was checked: the next reconcile need not look at it again (`unchangedAt`).
    const version = live.metadata.resourceVersion;
    if (version) this.applied.set(key, `${AppliedMemory.withoutVersion(recorded)} @${version}`);
    return true;
  }

  /**
   * True when `desired` was applied before as is and the child's version `resourceVersion` is the one our last apply
   * stored or the last `unchanged` checked: the same version of the same object, so nothing to compare (the
   * common case for children without a status: ConfigMaps, Services, Secrets). False means "look": `unchanged`.
   */
  unchangedAt(desired: KubeObject, resourceVersion: string | undefined): boolean {
    if (!resourceVersion) return false;
    const recorded = this.applied.get(AppliedMemory.key(desired));
    return recorded !== undefined && recorded.endsWith(` @${resourceVersion}`) && recorded.startsWith(this.digest(desired));
  }

  /** `live` shows every field of `desired`, trimmed parts as our last apply stored them (`recorded`). */
  private static shows(desired: KubeObject, live: KubeObject, recorded: string): boolean {
    const trimmed = trimmedDigests(live);
    if (!trimmed) return isSubset(desired, live);
    // Every trimmed part of the live object must be as our last apply stored it.
    for (const [path, digest] of Object.entries(trimmed)) {
      if (!recorded.includes(` ${path}=${digest}`)) return false;
    }
    const { [trimmedField]: _digests, ...rest } = live;
    return isSubset(withoutTrimmed(desired, live), rest);
  }

  /** A recorded value without its ` @<resourceVersion>` suffix. */
  private static withoutVersion(recorded: string): string {
    const at = recorded.indexOf(' @');
    return at < 0 ? recorded : recorded.slice(0, at);
  }

  /**
   * `desired` was applied; `stored` is what the server returned (needed to skip against a trimming cache; its
   * resourceVersion is the version `unchangedAt` then accepts).
   */
  remember(desired: KubeObject, stored?: KubeObject): void {
    let value = this.digest(desired);
    if (stored) {
      for (const [path, digest] of Object.entries(digestsAt(stored, this.trimmablePaths))) value += ` ${path}=${digest}`;
      if (stored.metadata.resourceVersion) value += ` @${stored.metadata.resourceVersion}`;
    }
    this.applied.set(AppliedMemory.key(desired), value);
  }

  forget(desired: KubeObject): void {
    this.applied.delete(AppliedMemory.key(desired));
  }
}
