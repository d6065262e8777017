/**
 * Skipping server-side applies that would change nothing. A component reconcile re-applies every child, and under
 * load a tenant's children are reconciled ten times or more (one per watch event wave): most of those applies are
 * no-ops that still cost a request, a schema check and a managedFields merge on the API server. An apply is skipped
 * when (1) this process applied exactly the same desired object before, and (2) the controller's cache shows every
 * field of it with the same value. (1) guarantees that no field we used to set has been dropped from the desired
 * object (SSA would remove it); (2) catches drift, i.e. someone changed or removed a field we set. Fields other
 * managers own are never touched by an apply anyway. A restart forgets (1): the first reconcile applies everything.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '#shared/kube/types.ts';

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

function digest(object: KubeObject): string {
  return createHash('sha1').update(JSON.stringify(object)).digest('base64');
}

/** Remembers what was applied, per child, to answer "would this apply change anything?". */
export class AppliedMemory {
  private readonly applied = new Map<string, string>();

  private static key(object: KubeObject): string {
    return `${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
  }

  /** True when `desired` was applied before as is and `live` (the cached child) still shows all of it. */
  unchanged(desired: KubeObject, live: KubeObject | undefined): boolean {
    if (!live || this.applied.get(AppliedMemory.key(desired)) !== digest(desired)) return false;
    return isSubset(desired, live);
  }

  remember(desired: KubeObject): void {
    this.applied.set(AppliedMemory.key(desired), digest(desired));
  }

  forget(desired: KubeObject): void {
    this.applied.delete(AppliedMemory.key(desired));
  }
}
