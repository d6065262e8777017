/**
 * `tsx bench/profile-summary.ts <file.cpuprofile> [--top 25]`: where a `node --cpu-prof` profile spends its time.
 * Prints the top functions by self time, and the same grouped by package/area (node_modules/<pkg>, shared/<area>,
 * operators/<name>, node internals, GC, idle), so a README can say what bounds an operator.
 */
import { readFileSync } from 'node:fs';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[]; startTime: number; endTime: number }

/** The area a frame belongs to: `node_modules/<pkg>`, `shared/<area>`, `operators/<x>`, `node:internal`, or a marker. */
export function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  // The operator bundles the benchmark builds (node_modules/.cache/nimbus-bench/<x>/main.js) are Nimbus's own code.
  if (url.includes('/.cache/nimbus-bench/')) return 'nimbus code (bundled shared/, operators/)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] ?? url;
  const own = /\/(shared|operators|sim|bench)\/([^/]+)/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  if (url.startsWith('node:')) return 'node:internal';
  return url.replace(/^file:\/\//, '');
}

export function summarizeProfile(profile: Profile, top: number): string {
  // Self time per node from the sample stream (timeDeltas are microseconds between samples).
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, deltas[i + 1] ?? deltas[i] ?? 0));
  }
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const f = node.callFrame;
    const where = f.url ? `${f.url.replace(/^file:\/\/.*?\/(node_modules|shared|operators|sim|bench)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const name = `${f.functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const area = areaOf(f);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const busyUs = totalUs - (byArea.get('(idle)') ?? 0);
  const pct = (us: number): string => `${((us / totalUs) * 100).toFixed(1)}%`;
  const rows = (map: Map<string, number>): string[] => [...map].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, us]) => `| ${pct(us)} | ${(us / 1000).toFixed(0)} | ${name.replaceAll('|', '\\|')} |`);
  return [
    `profile: ${(totalUs / 1e6).toFixed(1)} s sampled, ${(busyUs / 1e6).toFixed(1)} s busy (not idle)`,
    '', '| self | ms | area |', '|---|---|---|', ...rows(byArea),
    '', '| self | ms | function |', '|---|---|---|', ...rows(byFunction),
  ].join('\n');
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile> [--top 25]\n');
  process.exitCode = 2;
} else {
  const topIndex = process.argv.indexOf('--top');
  const top = topIndex > 0 ? Number(process.argv[topIndex + 1]) || 25 : 25;
  process.stdout.write(`${summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as Profile, top)}\n`);
}
