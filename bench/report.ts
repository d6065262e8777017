/** The results as Markdown tables (printed at the end of a run and pasted into bench/README.md). */
import type { RunResult, TransitionName } from './analyse.ts';
import { transitionNames } from './analyse.ts';
import type { Summary } from './stats.ts';

const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const pair = (s: Summary | null | undefined, a: 'p50' | 'p95', b: 'p95' | 'p99'): string => (s ? `${ms(s[a])} / ${ms(s[b])}` : '–');

function label(r: RunResult): string {
  return `${r.tenants}${r.oneAtATime ? ' one at a time' : ''} · ${r.bus === 'nats' ? 'NATS' : 'no NATS'} · kubelet ${r.kubeletDelayMs} ms`;
}

function worstTransition(r: RunResult, source: 'event' | 'watch'): { p50: number; p99: number } | undefined {
  const table = source === 'event' ? r.transitionFromEventMs : r.transitionFromWatchMs;
  const picked: TransitionName[] = ['couchdb→openwhisk', 'openwhisk→credentials'];
  const rows = picked.map((t) => table[t]).filter((s): s is Summary => s !== undefined);
  if (rows.length === 0) return undefined;
  return { p50: Math.max(...rows.map((s) => s.p50 ?? 0)), p99: Math.max(...rows.map((s) => s.p99 ?? 0)) };
}

/** The headline table: one row per run. */
export function summaryTable(results: readonly RunResult[], operators: readonly string[]): string {
  const head = [
    'run (tenants · bus · kubelet)', 'all Ready (s)', 'onboarding p50/p95/p99 (ms)', 'step transition p50/p99 (ms)',
    'API req/tenant', 'NATS events (msgs) /tenant', 'CPU ms/tenant (ops total)', ...operators.map((o) => `${o} RSS peak/idle (MiB)`),
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of results) {
    const transition = worstTransition(r, r.bus === 'nats' ? 'event' : 'watch');
    const opsCpu = operators.reduce((sum, o) => sum + (r.cpuMsPerTenant[o] ?? 0), 0);
    lines.push(`| ${[
      `${label(r)}${r.ok ? '' : ' **FAILED**'}`,
      (r.totalMs / 1000).toFixed(2),
      `${ms(r.onboardingMs.p50)} / ${ms(r.onboardingMs.p95)} / ${ms(r.onboardingMs.p99)}`,
      transition ? `${ms(transition.p50)} / ${ms(transition.p99)}` : '–',
      r.apiRequestsPerTenant === null ? '–' : String(r.apiRequestsPerTenant),
      r.eventsPerTenant === null ? '–' : `${r.eventsPerTenant} (${r.natsInMsgsPerTenant ?? '–'} in, ${r.natsOutMsgsPerTenant ?? '–'} out)`,
      opsCpu.toFixed(1),
      ...operators.map((o) => `${(r.peakRssMiB[o]?.sampled ?? 0).toFixed(0)} / ${(r.idleRssMiB[o] ?? 0).toFixed(0)}`),
    ].join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Per-transition detail: from the event's time (NATS) and from the bench's watch. */
export function transitionTable(results: readonly RunResult[]): string {
  const head = ['run', ...transitionNames.map((t) => `${t} p50/p99`)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of results) {
    if (r.bus === 'nats') lines.push(`| ${label(r)} (from event time) | ${transitionNames.map((t) => pair(r.transitionFromEventMs[t], 'p50', 'p99')).join(' | ')} |`);
    lines.push(`| ${label(r)} (from watch) | ${transitionNames.map((t) => pair(r.transitionFromWatchMs[t], 'p50', 'p99')).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** CPU per process and everything else that does not fit the headline. */
export function detailTable(results: readonly RunResult[]): string {
  const processes = [...new Set(results.flatMap((r) => Object.keys(r.cpuMsPerTenant)))];
  const head = [
    'run', ...processes.map((p) => `${p} CPU ms/tenant`), 'reconciles/tenant', 'API verbs/tenant', 'event delivery p50/p99 (ms)',
    'idle JS heap used/total (MiB)',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of results) {
    const verbs = r.apiRequestsByVerbPerTenant ? Object.entries(r.apiRequestsByVerbPerTenant).map(([v, c]) => `${v} ${c}`).join(', ') : '–';
    const reconciles = Object.entries(r.reconcilesPerTenant).map(([o, c]) => `${o} ${c}`).join(', ');
    lines.push(`| ${[
      label(r), ...processes.map((p) => ms(r.cpuMsPerTenant[p])), reconciles, verbs, pair(r.eventDeliveryMs, 'p50', 'p99'),
      Object.entries(r.idleHeapMiB ?? {}).map(([o, h]) => `${o} ${h.usedMiB.toFixed(0)}/${h.totalMiB.toFixed(0)}`).join(', ') || '–',
    ].join(' | ')} |`);
  }
  return lines.join('\n');
}
