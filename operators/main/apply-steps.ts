/**
 * Applies what the runnable steps make, with server-side apply (field manager `nimbus-main`), and returns the
 * observation updated with the objects as stored. A step that is Ready is left alone unless the Tenant's spec changed
 * (or its child drifted from the block): nothing Ready is ever re-created, and a steady tenant causes no writes.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Deps } from '#shared/controller/types.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import type { TenantObserved } from './credentials.ts';
import { childResource, namespaceObjects, stepObjects } from './desired.ts';
import type { BlockName, StepName, StepState, Tenant } from './types.ts';

/** States in which a step's objects are (re)applied: its dependencies are satisfied and it is not going away. */
export function isRunnable(state: StepState): boolean {
  return state === 'Running' || state === 'Waiting' || state === 'Failed' || state === 'Ready';
}

/** True when `actual` holds everything `wanted` says (extra fields, e.g. CRD defaults, are fine). */
export function contains(actual: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) {
    return Array.isArray(actual) && actual.length === wanted.length && wanted.every((w, i) => contains(actual[i], w));
  }
  if (typeof wanted === 'object' && wanted !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    const record = actual as Record<string, unknown>;
    return Object.entries(wanted).every(([key, value]) => contains(record[key], value));
  }
  return isDeepStrictEqual(actual, wanted);
}

/** The stored child already carries the desired spec, labels and owner reference. */
export function upToDate(existing: KubeObject | undefined, desired: KubeObject): boolean {
  if (!existing || existing.metadata.deletionTimestamp) return false;
  const owners = new Set((existing.metadata.ownerReferences ?? []).map((r) => r.uid));
  return contains(existing['spec'], desired['spec'])
    && contains(existing.metadata.labels ?? {}, desired.metadata.labels ?? {})
    && (desired.metadata.ownerReferences ?? []).every((r) => owners.has(r.uid));
}

/** What applying a step changed in the observation: only the objects it wrote, as stored. */
export interface ObservedDelta {
  namespace?: KubeObject;
  children?: Partial<Record<BlockName, KubeObject>>;
  secrets?: Record<string, KubeObject>;
}

/** `observed` with the deltas of several steps applied (each delta only holds what its step wrote). */
export function mergeDeltas(observed: TenantObserved, deltas: readonly ObservedDelta[]): TenantObserved {
  let merged = observed;
  for (const delta of deltas) {
    merged = {
      ...merged,
      namespace: delta.namespace ?? merged.namespace,
      children: { ...merged.children, ...delta.children },
      secrets: { ...merged.secrets, ...delta.secrets },
    };
  }
  return merged;
}

/**
 * Applies one step; `specChanged` is true when the Tenant's generation is newer than its status says.
 * Returns what it wrote, as stored. Never throws for "not yet" (credentials still waiting).
 */
export async function applyStep(
  step: StepName, state: StepState, tenant: Tenant, observed: TenantObserved, specChanged: boolean, deps: Pick<Deps, 'kube'>,
): Promise<ObservedDelta> {
  switch (step) {
    case 'namespace': {
      if (state === 'Ready' && !specChanged) return {};
      // The Namespace first (what lives in it needs it), then its ResourceQuota and NetworkPolicy together.
      const objects = namespaceObjects(tenant);
      const namespace = objects.find((o) => o.kind === 'Namespace');
      const delta: ObservedDelta = namespace ? { namespace: await deps.kube.apply(namespace) } : {};
      await Promise.all(objects.filter((o) => o !== namespace).map((o) => deps.kube.apply(o)));
      return delta;
    }
    case 'couchdb':
    case 'nats':
    case 'openwhisk': {
      const desired = childResource(tenant, step);
      const existing = observed.children[step];
      // A changed spec is applied even when the child looks up to date: a field removed from the block must go too.
      if (!specChanged && upToDate(existing, desired)) return {};
      return { children: { [step]: await deps.kube.apply(desired) } };
    }
    case 'credentials': {
      if (state === 'Ready' && !specChanged) return {};
      const result = stepObjects('credentials', tenant, observed);
      if ('waitingFor' in result) return {};
      const secrets: Record<string, KubeObject> = {};
      for (const object of result.objects) secrets[object.metadata.name ?? ''] = await deps.kube.apply(object);
      return { secrets };
    }
  }
}
