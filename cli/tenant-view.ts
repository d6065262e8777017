/**
 * What the CLI shows of a Tenant, computed purely from the object: the one-line summary (`nimbus status`, the live
 * view's header) and the step rows with their durations.
 */
import type { Condition } from '#shared/kube/types.ts';
import type { StepStatus, Tenant } from '#operators/main/types.ts';
import { elapsedMs, formatDurationMs } from './format.ts';

export interface TenantSummary {
  name: string;
  /** `status.phase`, `Pending` before the operator wrote any status. */
  phase: string;
  /** `3/5`: ready steps of all steps, `-` when unknown. */
  steps: string;
  namespace: string;
  /** True when every step is Ready (or the phase says so). */
  ready: boolean;
}

export interface StepRow {
  name: string;
  state: string;
  /** Ready: startedAt → readyAt; still running: startedAt → now; not started: empty. */
  duration: string;
  message: string;
}

/** The status as written by the main operator (every field optional: it may not have run yet). */
function statusOf(tenant: Tenant): NonNullable<Tenant['status']> {
  return tenant.status ?? {};
}

/** `readySteps/totalSteps`, from the summary field when present, else counted from `steps`. */
export function stepsText(tenant: Tenant): string {
  const status = statusOf(tenant);
  if (status.stepsSummary) return status.stepsSummary;
  if (typeof status.readySteps === 'number' && typeof status.totalSteps === 'number') {
    return `${status.readySteps}/${status.totalSteps}`;
  }
  const steps = status.steps ?? [];
  if (steps.length === 0) return '-';
  return `${steps.filter((s) => s.state === 'Ready').length}/${steps.filter((s) => s.state !== 'Skipped').length}`;
}

export function tenantSummary(tenant: Tenant): TenantSummary {
  const status = statusOf(tenant);
  const phase = status.phase ?? 'Pending';
  return {
    name: tenant.metadata.name ?? '',
    phase,
    steps: stepsText(tenant),
    namespace: status.namespace ?? tenant.spec?.namespace ?? '',
    ready: phase === 'Ready',
  };
}

function stepDuration(step: StepStatus, nowMs: number): string {
  if (!step.startedAt) return '';
  const until = step.state === 'Ready' ? step.readyAt : undefined;
  if (step.state === 'Ready' && !until) return '';
  const ms = elapsedMs(step.startedAt, until, nowMs);
  return ms === undefined ? '' : formatDurationMs(ms);
}

/** One row per step, in the order the operator lists them. */
export function stepRows(tenant: Tenant, nowMs: number = Date.now()): StepRow[] {
  return (statusOf(tenant).steps ?? []).map((step) => ({
    name: step.name,
    state: step.state,
    duration: stepDuration(step, nowMs),
    message: step.message ?? '',
  }));
}

/** The tenant's conditions (empty when none). */
export function conditionsOf(tenant: Tenant): Condition[] {
  return statusOf(tenant).conditions ?? [];
}

/** Total onboarding time: creation → the last step's readyAt, once Ready. */
export function onboardingMs(tenant: Tenant): number | undefined {
  if (statusOf(tenant).phase !== 'Ready') return undefined;
  const readyTimes = (statusOf(tenant).steps ?? []).map((s) => (s.readyAt ? Date.parse(s.readyAt) : Number.NaN));
  const last = Math.max(...readyTimes.filter((t) => !Number.isNaN(t)));
  const created = Date.parse(tenant.metadata.creationTimestamp ?? '');
  return Number.isFinite(last) && !Number.isNaN(created) ? Math.max(0, last - created) : undefined;
}
