/**
 * The live onboarding view of `npm start`. On a terminal the step table sits at the bottom and is redrawn in place
 * (ANSI: cursor up, clear to end of screen), with messages printed above it; elsewhere (a pipe, a log file) it prints
 * one plain line per change, so the output stays readable and greppable.
 */
import type { Tenant } from '#operators/main/types.ts';
import { clockTime } from './format.ts';
import { anyStepRunning, liveTable } from './live-table.ts';
import { tenantSummary } from './tenant-view.ts';

export interface LiveViewOptions {
  out: { write(text: string): unknown; columns?: number | undefined };
  /** Draw the in-place table (a terminal) or print plain lines. */
  tty: boolean;
  /** Redraw period while a step is running, for the ticking durations (default 250). */
  tickMs?: number;
}

export interface LiveView {
  /** A tenant was added or changed. */
  update(tenant: Tenant): void;
  /** A tenant is gone. */
  remove(name: string): void;
  /** Print text above the table (plain mode: just print it). */
  print(text: string): void;
  /** Stop the timer; the last table stays on the screen. */
  stop(): void;
}

/** Cursor to the start of the line `n` lines up (CSI n F), then clear to the end of the screen (CSI J). */
const rewind = (lines: number): string => (lines > 0 ? `\x1b[${lines}F\x1b[J` : '\x1b[J');

export function createLiveView(options: LiveViewOptions): LiveView {
  const { out } = options;
  const tenants = new Map<string, Tenant>();
  let drawn = 0;
  let stopped = false;

  function draw(): void {
    const lines = liveTable([...tenants.values()], out.columns ?? 100);
    out.write(rewind(drawn) + lines.map((l) => `${l}\n`).join(''));
    drawn = lines.length;
  }

  const timer = options.tty
    ? setInterval(() => { if (anyStepRunning([...tenants.values()])) draw(); }, options.tickMs ?? 250)
    : undefined;
  timer?.unref();

  /** Plain mode: what changed between two versions of a tenant, one line each. */
  function changes(before: Tenant | undefined, after: Tenant): string[] {
    const name = after.metadata.name ?? '';
    const now = clockTime(new Date().toISOString());
    const lines: string[] = [];
    const a = tenantSummary(after);
    const b = before ? tenantSummary(before) : undefined;
    if (!b || a.phase !== b.phase || a.steps !== b.steps) lines.push(`${now} tenant ${name}: ${a.phase} ${a.steps}`);
    const old = new Map((before?.status?.steps ?? []).map((s) => [s.name, s]));
    for (const step of after.status?.steps ?? []) {
      const prev = old.get(step.name);
      if (prev && prev.state === step.state && prev.message === step.message) continue;
      const detail = step.message ? ` (${step.message})` : '';
      lines.push(`${now} tenant ${name}: step ${step.name} ${step.state}${detail}`);
    }
    return lines;
  }

  return {
    update(tenant) {
      const name = tenant.metadata.name ?? '';
      const before = tenants.get(name);
      tenants.set(name, tenant);
      if (stopped) return;
      if (options.tty) draw();
      else for (const line of changes(before, tenant)) out.write(`${line}\n`);
    },
    remove(name) {
      if (!tenants.delete(name) || stopped) return;
      if (options.tty) draw();
      else out.write(`${clockTime(new Date().toISOString())} tenant ${name}: deleted\n`);
    },
    print(text) {
      const body = text.endsWith('\n') ? text : `${text}\n`;
      if (!options.tty || stopped) { out.write(body); return; }
      out.write(rewind(drawn) + body);
      drawn = 0;
      draw();
    },
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
    },
  };
}
