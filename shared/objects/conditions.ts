/** Standard status conditions, computed purely: a condition's lastTransitionTime moves only when its status moves. */
import type { Condition } from '#shared/kube/types.ts';

export type ConditionInput = Omit<Condition, 'lastTransitionTime'>;

/**
 * Returns `existing` with `next` merged in (by type). Keeps the old `lastTransitionTime` when the status did not
 * change, so that rewriting the same condition changes nothing and causes no status write.
 */
export function setCondition(existing: readonly Condition[] | undefined, next: ConditionInput, nowIso: string): Condition[] {
  const list = [...(existing ?? [])];
  const index = list.findIndex((c) => c.type === next.type);
  const previous = index >= 0 ? list[index] : undefined;
  const lastTransitionTime = previous && previous.status === next.status ? previous.lastTransitionTime : nowIso;
  const merged: Condition = { ...next, lastTransitionTime };
  if (index >= 0) list[index] = merged;
  else list.push(merged);
  return list;
}

/** The condition of a type, if present. */
export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** True when the object's condition of `type` is `True`. */
export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}
