/**
 * Replays a recorded request log against a fresh sim process and prints the sim's CPU for the replay (all threads,
 * and main thread vs V8's worker threads): an A/B of sim changes much less noisy than the whole onboarding benchmark.
 *
 *   npx tsx bench/replay.ts <requests.json> [in-flight requests, default 1]
 *
 * The log is a JSON array of `{ t, method, url, headers, body }`. Watches are opened (from now) and kept open;
 * owner-reference uids are rewritten to those of the replayed objects, resourceVersions dropped from bodies.
 * SIMFLAGS adds node flags to the sim, SIMPROF writes a CPU profile there, SIMTHREADS lists the threads' CPU.
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { startSimProcess } from './sim-handle.ts';
import { cpuSeconds } from './proc.ts';

interface Rec { t: number; method: string; url: string; headers: Record<string, string | undefined>; body: string }
const recs = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Rec[];
const inflight = Number(process.argv[3] ?? '1');
const nodeArgs = [...(process.env.SIMPROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.SIMPROF] : []), ...(process.env.SIMFLAGS ? process.env.SIMFLAGS.split(' ') : [])];
const sim = await startSimProcess({ kubeletDelayMs: 0, crdDir: 'manifests/crds', nodeArgs });
const base = new URL(sim.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let events = 0;
const watches: http.ClientRequest[] = [];
const uids = new Map<string, string>();
function learn(text: string): void {
  try {
    const o = JSON.parse(text) as { kind?: string; metadata?: { name?: string; uid?: string } };
    if (o.kind && o.metadata?.name && o.metadata.uid) uids.set(`${o.kind}/${o.metadata.name}`, o.metadata.uid);
  } catch { /* not JSON */ }
}
function rewrite(body: string): string {
  if (!body.startsWith('{')) return body;
  const o = JSON.parse(body) as { metadata?: { resourceVersion?: string; ownerReferences?: { kind: string; name: string; uid: string }[] } };
  if (!o.metadata) return body;
  delete o.metadata.resourceVersion;
  for (const ref of o.metadata.ownerReferences ?? []) ref.uid = uids.get(`${ref.kind}/${ref.name}`) ?? ref.uid;
  return JSON.stringify(o);
}
function send(r: Rec, watch: boolean): Promise<number> {
  if (r.body) r = { ...r, body: rewrite(r.body) };
  return new Promise((resolve, reject) => {
    const u = new URL(r.url, base);
    if (watch) { u.searchParams.delete('resourceVersion'); u.searchParams.delete('timeoutSeconds'); }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) headers[k] = v;
    if (r.body) headers['content-length'] = String(Buffer.byteLength(r.body));
    const req = http.request({ host: base.hostname, port: base.port, path: u.pathname + u.search, method: r.method, headers, agent: watch ? false : agent }, (res) => {
      if (watch) { res.on('data', (c: Buffer) => { for (const b of c) if (b === 10) events++; }); resolve(res.statusCode ?? 0); return; }
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => { learn(text); resolve(res.statusCode ?? 0); });
    });
    req.on('error', (e) => (watch ? resolve(0) : reject(e)));
    if (watch) watches.push(req);
    req.end(r.body || undefined);
  });
}
const isWatch = (r: Rec): boolean => r.method === 'GET' && /[?&]watch=(1|true)/.test(r.url);
const codes = new Map<number, number>();
function us(): [number, number] {
  const f = readFileSync(`/proc/${sim.pid}/stat`, 'utf8'); const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return [Number(x[11]) * 10, Number(x[12]) * 10];
}
function threads(): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of readdirSync(`/proc/${sim.pid}/task`)) {
    const f = readFileSync(`/proc/${sim.pid}/task/${t}/stat`, 'utf8'); const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
    out.set(t, Number(x[11]) * 10 + Number(x[12]) * 10);
  }
  return out;
}
if (process.env.SIMMARK) console.log("REPLAY-START");
const th0 = threads();
const u0 = us();
const c0 = cpuSeconds(sim.pid) ?? 0;
const t0 = Date.now();
let i = 0;
async function lane(): Promise<void> {
  while (i < recs.length) {
    const r = recs[i++]!;
    if (isWatch(r)) { await send(r, true); continue; }
    const code = await send(r, false);
    codes.set(code, (codes.get(code) ?? 0) + 1);
    if (code >= 400 && (codes.get(code) ?? 0) < 4) console.error(code, r.method, r.url.slice(0, 120));
  }
}
await Promise.all(Array.from({ length: inflight }, lane));
await new Promise((r) => setTimeout(r, 1500));
const c1 = cpuSeconds(sim.pid) ?? 0;
const u1 = us();
console.error(`user ${u1[0] - u0[0]} ms sys ${u1[1] - u0[1]} ms`);
const th1 = threads();
const mainTid = String(sim.pid);
let workerMs = 0;
for (const [t, ms] of th1) if (t !== mainTid) workerMs += ms - (th0.get(t) ?? 0);
const mainMs = (th1.get(mainTid) ?? 0) - (th0.get(mainTid) ?? 0);
console.error(`main thread ${mainMs} ms, other threads ${workerMs} ms`);
if (process.env.SIMTHREADS) {
  for (const [t, ms] of th1) {
    const comm = readFileSync(`/proc/${sim.pid}/task/${t}/comm`, 'utf8').trim();
    if (ms - (th0.get(t) ?? 0) > 20) console.error(`  thread ${t} ${comm}: ${ms - (th0.get(t) ?? 0)} ms`);
  }
}
console.log(JSON.stringify({ requests: recs.length, watches: watches.length, events, codes: Object.fromEntries(codes), simCpuMs: Math.round((c1 - c0) * 1000), wallMs: Date.now() - t0 - 1500 }));
for (const w of watches) w.destroy();
agent.destroy();
await sim.stop();
process.exit(0);
