/** Builds the `.status` object the skeleton writes, from a component's ComponentStatus. Pure. */
import type { Condition, KubeObject } from '#shared/kube/types.ts';
import { setCondition } from '#shared/objects/conditions.ts';
import type { EventPhase } from '#shared/bus/types.ts';
import type { ComponentStatus } from './types.ts';

export function currentStatus(cr: KubeObject): Record<string, unknown> {
  const status = cr['status'];
  return typeof status === 'object' && status !== null ? (status as Record<string, unknown>) : {};
}

/** The new status: fields, phase, observedGeneration and conditions merged so unchanged ones keep their times. */
export function statusObject(cr: KubeObject, computed: ComponentStatus, nowIso: string): Record<string, unknown> {
  const generation = cr.metadata.generation;
  const existing = currentStatus(cr)['conditions'];
  let conditions: Condition[] = Array.isArray(existing) ? (existing as Condition[]) : [];
  for (const condition of computed.conditions) {
    const input = generation === undefined ? condition : { ...condition, observedGeneration: generation };
    conditions = setCondition(conditions, input, nowIso);
  }
  const status: Record<string, unknown> = { ...(computed.fields ?? {}), phase: computed.phase, conditions };
  if (generation !== undefined) status['observedGeneration'] = generation;
  return status;
}

/** The reason and message of a phase: the explicit ones, else the Ready condition's. */
export function phaseReason(computed: ComponentStatus): { reason: string; message: string } {
  const ready = computed.conditions.find((c) => c.type === 'Ready') ?? computed.conditions[0];
  return { reason: computed.reason ?? ready?.reason ?? computed.phase, message: computed.message ?? ready?.message ?? '' };
}

/** The NATS event phase of a status phase. */
export function eventPhaseOf(phase: string): EventPhase {
  if (phase === 'Ready') return 'ready';
  if (phase === 'Failed') return 'failed';
  return 'progressing';
}
