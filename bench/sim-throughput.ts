/**
 * `tsx bench/sim-throughput.ts`: how fast the sim serves what the operators ask of it, measured from a separate
 * process through the same kube client the operators use: GETs, server-side applies (a ConfigMap, and a
 * schema-validated custom resource), and watch fan-out (W watchers, M writes → events delivered per second).
 * The sim's CPU use per phase says whether it was the bottleneck (≈ 1.0 CPU s/s means one core saturated).
 *
 * Flags: --duration-s 5 --concurrency 16 --watchers 100 --writes 1000 --out bench/results/sim-throughput.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createKubeClient } from '#shared/kube/client.ts';
import type { KubeClient, KubeObject, WatchHandle } from '#shared/kube/types.ts';
import { ProcessProbe } from './proc.ts';
import { startSimProcess } from './sim-handle.ts';
import { mapLimit } from './stats.ts';
import { numberFlag, outFlag } from './script-flags.ts';

interface Phase {
  name: string;
  operations: number;
  seconds: number;
  perSecond: number;
  simCpuPerSecond: number;
  clientCpuPerSecond: number;
  note?: string;
}

const out = outFlag();
const durationMs = numberFlag('duration-s', 5) * 1000;
const concurrency = numberFlag('concurrency', 16);
const watchers = numberFlag('watchers', 100);
const writes = numberFlag('writes', 1000);

const configMap = (name: string, value: string): KubeObject => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'bench' }, data: { value },
});
const couchdb = (name: string, i: number): KubeObject => ({
  apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', metadata: { name, namespace: 'bench' },
  spec: { replicas: 1, storage: { size: '1Gi' }, databases: [`db${i % 7}`] },
});

/** Runs `op` in `concurrency` loops for `durationMs`; returns the phase figures. */
async function closedLoop(name: string, simProbe: ProcessProbe, op: (lane: number, i: number) => Promise<unknown>): Promise<Phase> {
  const client = new ProcessProbe('bench', process.pid);
  simProbe.begin();
  client.begin();
  const start = Date.now();
  let operations = 0;
  await Promise.all(Array.from({ length: concurrency }, async (_, lane) => {
    for (let i = 0; Date.now() - start < durationMs; i++) {
      await op(lane, i);
      operations++;
    }
  }));
  const seconds = (Date.now() - start) / 1000;
  return {
    name, operations, seconds, perSecond: Math.round(operations / seconds),
    simCpuPerSecond: round(simProbe.cpuInWindow() / seconds), clientCpuPerSecond: round(client.cpuInWindow() / seconds),
  };
}

const round = (n: number): number => Math.round(n * 100) / 100;

/** W watches on one namespace, then M applies: how long until every watcher saw every write. */
async function fanOut(kube: KubeClient, simProbe: ProcessProbe): Promise<Phase> {
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fanout' } });
  const seen = new Array<number>(watchers).fill(0);
  let delivered = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => { finish = resolve; });
  const target = watchers * writes;
  const list = await kube.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'fanout' });
  const handles: WatchHandle[] = await mapLimit(Array.from({ length: watchers }, (_, i) => i), 20, (w) =>
    kube.watch({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'fanout' }, { resourceVersion: list.resourceVersion }, (event) => {
      if (event.type !== 'ADDED' && event.type !== 'MODIFIED') return;
      seen[w] = (seen[w] ?? 0) + 1;
      if (++delivered >= target) finish();
    }));
  const client = new ProcessProbe('bench', process.pid);
  simProbe.begin();
  client.begin();
  const start = Date.now();
  await mapLimit(Array.from({ length: writes }, (_, i) => i), concurrency, (i) =>
    kube.apply({ ...configMap(`fan-${i}`, String(i)), metadata: { name: `fan-${i}`, namespace: 'fanout' } }));
  const writesDoneS = (Date.now() - start) / 1000;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([finished, new Promise<void>((resolve) => { timer = setTimeout(resolve, 120_000); })]);
  clearTimeout(timer);
  const seconds = (Date.now() - start) / 1000;
  for (const h of handles) h.abort();
  return {
    name: `watch fan-out (${watchers} watchers × ${writes} writes)`, operations: delivered, seconds,
    perSecond: Math.round(delivered / seconds),
    simCpuPerSecond: round(simProbe.cpuInWindow() / seconds), clientCpuPerSecond: round(client.cpuInWindow() / seconds),
    note: `${delivered}/${target} events delivered; the writes alone took ${writesDoneS.toFixed(2)} s`,
  };
}

const sim = await startSimProcess({ kubeletDelayMs: 0, crdDir: 'manifests/crds' });
const kube = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'nimbus-bench' });
const simProbe = new ProcessProbe('sim', sim.pid);
const phases: Phase[] = [];
try {
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  await kube.apply(configMap('read-me', 'x'));
  // Warm-up: JIT, discovery cache, keep-alive sockets.
  await mapLimit(Array.from({ length: 500 }, (_, i) => i), concurrency, () => kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'read-me', namespace: 'bench' }));
  phases.push(await closedLoop('get (ConfigMap)', simProbe, () => kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'read-me', namespace: 'bench' })));
  phases.push(await closedLoop('apply (ConfigMap, server-side apply, changing data)', simProbe,
    (lane, i) => kube.apply(configMap(`cm-${lane}-${i % 20}`, String(i)))));
  phases.push(await closedLoop('apply (CouchDB CR: schema, defaults, CEL)', simProbe,
    (lane, i) => kube.apply(couchdb(`db-${lane}-${i % 20}`, i))));
  phases.push(await closedLoop('list (ConfigMaps in a namespace, ~320 objects)', simProbe,
    () => kube.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'bench' })));
  phases.push(await fanOut(kube, simProbe));
} finally {
  kube.close();
  await sim.stop();
}
const head = '| operation | ops/s | sim CPU (s/s) | client CPU (s/s) | note |';
const rows = phases.map((p) => `| ${p.name} | ${p.perSecond} | ${p.simCpuPerSecond} | ${p.clientCpuPerSecond} | ${p.note ?? `${p.operations} ops in ${p.seconds.toFixed(1)} s, ${concurrency} in flight`} |`);
process.stdout.write(`${[head, '|---|---|---|---|---|', ...rows].join('\n')}\n`);
if (out) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ command: `tsx bench/sim-throughput.ts ${process.argv.slice(2).join(' ')}`, date: new Date().toISOString(), phases }, null, 2)}\n`);
}
