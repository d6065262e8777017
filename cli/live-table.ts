/** The live step table of `npm start`, as plain text lines (no cursor control here: see live-view.ts). */
import type { Tenant } from '#operators/main/types.ts';
import { formatDurationMs, formatTable } from './format.ts';
import { onboardingMs, stepRows, tenantSummary } from './tenant-view.ts';

const stateMarks: Record<string, string> = {
  Ready: '✔', Running: '…', Waiting: '…', Pending: ' ', Failed: '✘', Skipped: '-', Deleting: '…', Deleted: '-',
};

/** The block of one tenant: a header line, then one row per step. */
export function tenantBlock(tenant: Tenant, nowMs: number = Date.now()): string[] {
  const summary = tenantSummary(tenant);
  const total = onboardingMs(tenant);
  const header = [
    `Tenant ${summary.name}`, summary.phase, summary.steps,
    summary.namespace ? `namespace ${summary.namespace}` : '',
    total === undefined ? '' : `onboarded in ${formatDurationMs(total)}`,
  ].filter(Boolean).join('   ');
  const rows = stepRows(tenant, nowMs).map((row) => [
    `${stateMarks[row.state] ?? ' '} ${row.name}`, row.state, row.duration, row.message,
  ]);
  if (rows.length === 0) return [header, '  (waiting for the main operator to write the steps)'];
  return [header, ...formatTable(['  STEP', 'STATE', 'TIME', 'MESSAGE'], rows.map(([a, ...rest]) => [`  ${a ?? ''}`, ...rest]))];
}

/** Every tenant's block, sorted by name, separated by an empty line; cut to `columns` so no line wraps. */
export function liveTable(tenants: readonly Tenant[], columns: number, nowMs: number = Date.now()): string[] {
  const sorted = [...tenants].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const lines = sorted.flatMap((tenant, i) => [...(i > 0 ? [''] : []), ...tenantBlock(tenant, nowMs)]);
  const width = Math.max(20, columns - 1);
  return lines.map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
}

/** True while some step's duration is still counting (worth redrawing on a timer). */
export function anyStepRunning(tenants: readonly Tenant[]): boolean {
  return tenants.some((t) => (t.status?.steps ?? []).some((s) => s.startedAt && s.state !== 'Ready' && s.state !== 'Skipped'));
}
