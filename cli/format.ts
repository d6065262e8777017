/** Terminal formatting of the CLI: aligned columns, durations and ages the way kubectl prints them. */

/** Left-aligned columns separated by three spaces (kubectl's table style); the last column is not padded. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('   ').trimEnd(),
  );
}

/** `0.3s`, `12.0s`, `2m05s`, `1h02m`: a step's duration. */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.floor(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes}m${String(totalSeconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** `45s`, `12m`, `3h`, `2d`: an object's age, like kubectl's AGE column. */
export function formatAge(sinceIso: string | undefined, nowMs: number = Date.now()): string {
  const since = sinceIso ? Date.parse(sinceIso) : Number.NaN;
  if (Number.isNaN(since)) return '<unknown>';
  const seconds = Math.max(0, Math.floor((nowMs - since) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** Milliseconds between two ISO timestamps (the second defaults to now); undefined when the first is absent. */
export function elapsedMs(fromIso: string | undefined, toIso?: string  , nowMs: number = Date.now()): number | undefined {
  const from = fromIso ? Date.parse(fromIso) : Number.NaN;
  if (Number.isNaN(from)) return undefined;
  const to = toIso ? Date.parse(toIso) : nowMs;
  return Number.isNaN(to) ? undefined : Math.max(0, to - from);
}

/** `HH:MM:SS` of an ISO time (local time), for one-line-per-event output. */
export function clockTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}
