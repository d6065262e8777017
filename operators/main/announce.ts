/**
 * Tells people and programs what changed, after the status write: a Kubernetes Event per step transition (but a
 * step's start) and per phase change (what `kubectl describe tenant` shows), and the tenant's own NATS events
 * (`dev.nimbus.tenant.ready|failed|deleted`, outputs: endpoints and the credentials Secret, never credentials).
 */
import { buildEvent } from '#shared/bus/envelope.ts';
import type { EventPhase } from '#shared/bus/types.ts';
import { recordEvent } from '#shared/controller/events.ts';
import type { Deps } from '#shared/controller/types.ts';
import { findCondition } from '#shared/objects/index.ts';
import { stepLabels, stepTransitions, type StepTransition } from './status.ts';
import { mainOperator, type StepStatus, type Tenant, type TenantStatus } from './types.ts';

export const reportingController = `nimbus-${mainOperator}`;

function took(step: StepStatus | undefined): string {
  if (!step?.startedAt || !step.readyAt) return '';
  const ms = Date.parse(step.readyAt) - Date.parse(step.startedAt);
  return Number.isFinite(ms) ? ` (took ${(ms / 1000).toFixed(1)} s)` : '';
}

/** The non-secret outputs of a tenant event. */
export function tenantOutputs(status: TenantStatus): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [key, value] of Object.entries(status.endpoints ?? {})) if (typeof value === 'string') outputs[`${key}Endpoint`] = value;
  if (status.namespace) outputs['namespace'] = status.namespace;
  if (status.credentialsSecret) outputs['credentialsSecret'] = status.credentialsSecret;
  return outputs;
}

/** Publishes a tenant event (no-op without NATS). */
export function publishTenantEvent(deps: Pick<Deps, 'bus' | 'clock'>, tenant: Tenant, phase: EventPhase, reason: string, message: string): void {
  const outputs = tenant.status ? tenantOutputs(tenant.status) : {};
  deps.bus.publish(buildEvent({ source: mainOperator, object: tenant, phase, reason, message, outputs, time: deps.clock.nowIso() }));
}

/** The Kubernetes Events of each tenant still being recorded, chained so that they are written in order. */
const pendingByTenant = new Map<string, Promise<void>>();

/**
 * Records the Events of `announce` off the reconcile path: the reconcile returns at once (the next step of another
 * wake-up need not wait for Event POSTs), and a tenant's Events are still written in the order they were announced.
 * The returned promise settles when they are written (tests may await it); it never rejects (`recordEvent` does not).
 */
export function announceInBackground(deps: Deps, written: Tenant, before: TenantStatus | undefined): Promise<void> {
  const key = written.metadata.name ?? '';
  const previous = pendingByTenant.get(key) ?? Promise.resolve();
  const next = previous.then(() => announce(deps, written, before)).catch((error: unknown) => {
    deps.log.warn({ err: error, tenant: key }, 'recording events failed');
  });
  pendingByTenant.set(key, next);
  void next.then(() => { if (pendingByTenant.get(key) === next) pendingByTenant.delete(key); });
  return next;
}

/** Events for what changed between `before` and the status just written on `written`. */
export async function announce(deps: Deps, written: Tenant, before: TenantStatus | undefined): Promise<void> {
  const after = written.status ?? {};
  const steps = new Map((after.steps ?? []).map((s) => [s.name, s]));
  // Recorded in parallel: Events never fail a reconcile, and they should not slow it down either.
  // A step starting (Pending → Running) gets no Event of its own: its Ready Event says how long it took, and a step
  // that hangs is reported by the Degraded condition. That saves five Event writes per tenant; a step that goes back
  // to Running (after Failed or Ready) still gets one.
  const starts = (t: StepTransition): boolean => t.to === 'Running' && (t.from === undefined || t.from === 'Pending');
  const recording = stepTransitions(before, after).filter((t) => !starts(t)).map((transition) => {
    const label = stepLabels[transition.step];
    const timing = transition.to === 'Ready' ? took(steps.get(transition.step)) : '';
    return recordEvent(deps.kube, written, {
      type: transition.to === 'Failed' ? 'Warning' : 'Normal',
      reason: `${label}${transition.to}`,
      message: `step ${transition.step}: ${transition.message}${timing}`,
      reportingController,
    }, deps.log, deps.clock);
  });
  if (before?.phase !== after.phase && after.phase) {
    const ready = findCondition(after.conditions, 'Ready');
    const reason = ready?.reason ?? after.phase;
    const message = `${after.phase} ${after.stepsSummary ?? ''}: ${ready?.message ?? ''}`;
    const type = after.phase === 'Failed' ? 'Warning' : 'Normal';
    recording.push(recordEvent(deps.kube, written, { type, reason: `Tenant${after.phase}`, message, reportingController }, deps.log, deps.clock));
    if (after.phase === 'Ready') publishTenantEvent(deps, written, 'ready', reason, message);
    if (after.phase === 'Failed') publishTenantEvent(deps, written, 'failed', reason, message);
  }
  await Promise.all(recording);
}
