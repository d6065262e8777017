/**
 * Disabling a block later deletes its child, and the children that depend on it (OpenWhisk goes with its CouchDB),
 * dependents first; the `ComponentsDisabled` condition says what was disabled and what is being removed.
 */
import type { Deps } from '#shared/controller/types.ts';
import type { ConditionInput } from '#shared/objects/conditions.ts';
import type { TenantObserved } from './credentials.ts';
import { deletableSteps, skipReason, tenantGraph } from './graph.ts';
import { blockNames, type BlockName, type StepName, type Tenant } from './types.ts';

/** Disabled blocks whose child still exists. */
export function leftovers(tenant: Tenant, observed: TenantObserved): BlockName[] {
  return blockNames.filter((block) => skipReason(tenant.spec, block) !== undefined && observed.children[block] !== undefined);
}

/** Deletes the leftovers that nothing else left over depends on; returns what it asked to delete. */
export async function removeDisabled(tenant: Tenant, observed: TenantObserved, deps: Pick<Deps, 'kube'>): Promise<BlockName[]> {
  const present = new Set<StepName>(leftovers(tenant, observed));
  const now = deletableSteps(tenantGraph, present).filter((s): s is BlockName => (blockNames as readonly string[]).includes(s));
  for (const block of now) {
    const child = observed.children[block];
    if (!child || child.metadata.deletionTimestamp) continue;
    await deps.kube.delete({ apiVersion: child.apiVersion, kind: child.kind, namespace: child.metadata.namespace ?? '', name: child.metadata.name ?? '' });
  }
  return now;
}

/** `ComponentsDisabled`: True while some block is disabled, naming each and what happens to its child. */
export function disabledCondition(tenant: Tenant, observed: TenantObserved, generation: number): ConditionInput {
  const parts = blockNames.flatMap((block) => {
    const reason = skipReason(tenant.spec, block);
    if (reason === undefined) return [];
    const child = observed.children[block];
    const what = child ? `deleting ${child.kind} ${child.metadata.namespace ?? ''}/${child.metadata.name ?? ''}` : 'no child left';
    return [`${block}: ${reason}; ${what}`];
  });
  return parts.length > 0
    ? { type: 'ComponentsDisabled', status: 'True', reason: 'BlockDisabled', message: parts.join('; '), observedGeneration: generation }
    : { type: 'ComponentsDisabled', status: 'False', reason: 'AllEnabled', message: 'every component is enabled', observedGeneration: generation };
}
