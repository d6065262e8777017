/**
 * One onboarding run: fresh sim (or a real cluster), fresh nats-server, the operators as separate processes; apply N
 * tenants, wait until all are Ready, measure, wait idle, measure memory again, stop everything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createBus } from '#shared/bus/nats.ts';
import { createKubeClient } from '#shared/kube/client.ts';
import { createLogger } from '#shared/observability/logger.ts';
import type { KubeClient } from '#shared/kube/types.ts';
import type { OperatorName } from './args.ts';
import { Observer } from './observer.ts';
import { ProcessProbe } from './proc.ts';
import {
  metricSum, natsMessageCounts, startNatsServer, startOperator, type NatsServer, type OperatorProcess,
} from './processes.ts';
import { startSimProcess, type SimHandle } from './sim-handle.ts';
import type { RequestCounts } from './sim-protocol.ts';
import { mapLimit } from './stats.ts';
import { benchTenants } from './tenants.ts';
import { analyse, type RunResult } from './analyse.ts';
import { startTraceProxy, type TraceProxy } from './request-trace.ts';

export interface RunSpec {
  tenants: number;
  bus: 'nats' | 'no-nats';
  kubeletDelayMs: number;
  kubeconfig: string | undefined;
  operators: OperatorName[];
  operatorArgs: Record<string, string[]>;
  concurrency: number;
  applyConcurrency: number;
  deadlineMs: number;
  idleMs: number;
  /** Operators (or `sim`) to run under `node --cpu-prof`, profiles written to `profileDir`. */
  cpuProf: string[];
  profileDir: string;
  traceRequests: boolean;
  nodeFlags: string[];
  /** Apply the next tenant only when the previous one is Ready (latency without load). */
  oneAtATime: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function deltaCounts(after: RequestCounts, before: RequestCounts): RequestCounts {
  const byVerb: Record<string, number> = {};
  for (const [verb, count] of Object.entries(after.byVerb)) {
    const d = count - (before.byVerb[verb] ?? 0);
    if (d > 0) byVerb[verb] = d;
  }
  return { total: after.total - before.total, byVerb };
}

/** Metric totals of every operator, read from its /metrics. */
async function operatorCounters(operators: OperatorProcess[]): Promise<Record<string, { reconciles: number; published: number; received: number }>> {
  const out: Record<string, { reconciles: number; published: number; received: number }> = {};
  await Promise.all(operators.map(async (op) => {
    const text = await op.metricsText().catch(() => '');
    out[op.name] = {
      reconciles: metricSum(text, 'controller_runtime_reconcile_total'),
      published: metricSum(text, 'nimbus_events_published_total'),
      received: metricSum(text, 'nimbus_events_received_total'),
    };
  }));
  return out;
}

/**
 * On a real cluster the run's tenants are deleted while the operators still run (their finalizers tear the
 * children down), and awaited for a while; the sim is simply stopped.
 */
async function deleteTenants(kube: KubeClient, names: string[], log: (line: string) => void): Promise<void> {
  const ref = (name: string) => ({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'Tenant', name });
  await mapLimit(names, 20, (name) => kube.delete(ref(name), { propagationPolicy: 'Foreground' }));
  const deadline = Date.now() + 180_000;
  let left = names.length;
  while (left > 0 && Date.now() < deadline) {
    await sleep(2_000);
    left = (await mapLimit(names, 20, async (name) => (await kube.tryGet(ref(name))) !== undefined)).filter(Boolean).length;
  }
  log(left === 0 ? `  deleted the run's ${names.length} tenant(s)` : `  ${left} tenant(s) still deleting after 3 min (left for the operators)`);
}

export async function runOnce(spec: RunSpec, log: (line: string) => void): Promise<RunResult> {
  const logDir = mkdtempSync(join(tmpdir(), 'nimbus-bench-logs-'));
  const quietLog = createLogger({ name: 'nimbus-bench', level: 'error' });
  const prefix = `b${randomBytes(2).toString('hex')}-`;
  const cleanups: Array<() => Promise<void>> = [];
  // One folder per profiled process: node writes one profile per thread (tsx's loader thread included), named
  // CPU.<date>.<pid>.<thread>.…; the main thread's is the largest.
  const profiled = (name: string): string[] => (spec.cpuProf.includes(name)
    ? ['--cpu-prof', `--cpu-prof-dir=${join(spec.profileDir, `${name}-${spec.tenants}-${spec.bus}-${spec.kubeletDelayMs}ms-${Date.now()}`)}`]
    : []);
  try {
    let sim: SimHandle | undefined;
    let kubeconfig = spec.kubeconfig;
    if (!kubeconfig) {
      sim = await startSimProcess({ kubeletDelayMs: spec.kubeletDelayMs, crdDir: 'manifests/crds', nodeArgs: profiled('sim') });
      const s = sim;
      cleanups.unshift(() => s.stop());
      kubeconfig = sim.kubeconfigPath;
    }
    let nats: NatsServer | undefined;
    if (spec.bus === 'nats') {
      nats = await startNatsServer(logDir);
      const n = nats;
      cleanups.unshift(() => n.stop());
    }
    const env: Record<string, string> = {
      KUBECONFIG: kubeconfig, LOG_LEVEL: 'warn', CONCURRENCY: String(spec.concurrency), NATS_URL: nats?.url ?? '',
    };
    const traces = new Map<string, TraceProxy>();
    if (spec.traceRequests && sim) {
      for (const name of spec.operators) {
        const proxy = await startTraceProxy(sim.url);
        traces.set(name, proxy);
        cleanups.unshift(() => proxy.close());
      }
    }
    const operators = await Promise.all(spec.operators.map(async (name) => {
      const nodeArgs = [...spec.nodeFlags, ...profiled(name), ...(spec.operatorArgs[name] ?? [])];
      const kubeconfigPath = traces.get(name)?.kubeconfigPath ?? kubeconfig;
      const op = await startOperator({ name, nodeArgs, env: { ...env, KUBECONFIG: kubeconfigPath } }, logDir);
      cleanups.unshift(() => op.stop());
      return op;
    }));
    log(`  started sim${nats ? ', nats-server' : ''} and ${operators.map((o) => o.name).join(', ')} (logs in ${logDir})`);

    const kube = createKubeClient({ kubeconfigPath: kubeconfig, fieldManager: 'nimbus-bench' });
    cleanups.unshift(async () => kube.close());
    const bus = nats ? await createBus({ url: nats.url, name: 'nimbus-bench', log: quietLog }) : undefined;
    if (bus) cleanups.unshift(() => bus.close());
    const observer = new Observer({ kube, log: quietLog, prefix, bus });
    await observer.start();
    cleanups.unshift(() => observer.stop());

    const probes = [
      ...operators.map((op) => new ProcessProbe(op.name, op.pid)),
      ...(sim ? [new ProcessProbe('sim', sim.pid)] : []),
      ...(nats ? [new ProcessProbe('nats-server', nats.pid)] : []),
      new ProcessProbe('bench', process.pid),
    ];
    for (const p of probes) p.begin();
    const sampler = setInterval(() => { for (const p of probes) p.sample(); }, 100);
    const requestsBefore = sim ? await sim.requests() : undefined;
    const natsBefore = nats ? await natsMessageCounts(nats.monitorUrl) : undefined;
    const countersBefore = await operatorCounters(operators);
    const traceBefore = new Map([...traces].map(([name, proxy]) => [name, new Map(proxy.counts)]));

    const tenants = benchTenants('manifests/samples/tenant.yaml', prefix, spec.tenants);
    let readyCount = 0;
    let allReady: () => void = () => {};
    const allReadyPromise = new Promise<void>((resolve) => { allReady = resolve; });
    observer.notify(() => {
      let ready = 0;
      for (const t of observer.timelines.values()) if (t.readyMs !== undefined) ready++;
      readyCount = ready;
      if (ready >= spec.tenants) allReady();
    });
    const startMs = Date.now();
    const sentMs = new Map<string, number>();
    let applyErrors = 0;
    const applying = mapLimit(tenants, spec.oneAtATime ? 1 : spec.applyConcurrency, async (tenant) => {
      const name = tenant.metadata.name ?? '';
      sentMs.set(name, Date.now());
      try {
        await kube.apply(tenant);
        const t = observer.timeline(name);
        if (t) t.createdMs = Math.min(t.createdMs ?? Infinity, Date.now());
        // Unloaded latency: the next tenant only once this one is Ready.
        while (spec.oneAtATime && t?.readyMs === undefined && Date.now() - startMs < spec.deadlineMs) await sleep(2);
      } catch (error) {
        applyErrors++;
        log(`  apply ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    const progress = setInterval(() => log(`  ${readyCount}/${spec.tenants} Ready after ${((Date.now() - startMs) / 1000).toFixed(1)} s`), 5_000);
    let deadlineTimer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      applying.then(() => allReadyPromise).then(() => false),
      new Promise<boolean>((resolve) => { deadlineTimer = setTimeout(() => resolve(true), spec.deadlineMs); }),
    ]);
    clearTimeout(deadlineTimer);
    const endMs = Date.now();
    clearInterval(progress);
    clearInterval(sampler);
    for (const p of probes) p.sample();
    const cpu = Object.fromEntries(probes.map((p) => [p.name, p.cpuInWindow()]));
    const peak = Object.fromEntries(probes.map((p) => [p.name, p.peakRssMiB()]));
    const requests = sim && requestsBefore ? deltaCounts(await sim.requests(), requestsBefore) : undefined;
    const natsAfter = nats ? await natsMessageCounts(nats.monitorUrl) : undefined;
    const countersAfter = await operatorCounters(operators);
    const eventsReceived = observer.eventsReceived;
    const requestTrace: Record<string, Record<string, number>> = {};
    for (const [name, proxy] of traces) {
      const before = traceBefore.get(name) ?? new Map<string, number>();
      const rows = [...proxy.counts].map(([cls, count]) => [cls, Math.round(((count - (before.get(cls) ?? 0)) / spec.tenants) * 10) / 10] as const);
      requestTrace[name] = Object.fromEntries(rows.filter(([, perTenant]) => perTenant > 0).sort((a, b) => b[1] - a[1]));
    }

    if (spec.idleMs > 0) await sleep(spec.idleMs);
    const idle = Object.fromEntries(probes.map((p) => [p.name, p.rssMiB()]));
    // What of the RSS is the JS heap (prom-client's default metrics), to tell live data from V8's slack.
    const heap: Record<string, { usedMiB: number; totalMiB: number }> = {};
    await Promise.all(operators.map(async (op) => {
      const text = await op.metricsText().catch(() => '');
      heap[op.name] = {
        usedMiB: Math.round((metricSum(text, 'nodejs_heap_size_used_bytes') / 2 ** 20) * 10) / 10,
        totalMiB: Math.round((metricSum(text, 'nodejs_heap_size_total_bytes') / 2 ** 20) * 10) / 10,
      };
    }));
    const counters = Object.fromEntries(operators.map((op) => {
      const a = countersAfter[op.name] ?? { reconciles: 0, published: 0, received: 0 };
      const b = countersBefore[op.name] ?? { reconciles: 0, published: 0, received: 0 };
      return [op.name, { reconciles: a.reconciles - b.reconciles, published: a.published - b.published, received: a.received - b.received }];
    }));
    if (timedOut) {
      for (const op of operators) log(`  --- ${op.name} log tail ---\n${op.logTail(10)}`);
    }
    if (spec.kubeconfig) await deleteTenants(kube, tenants.map((t) => t.metadata.name ?? ''), log);
    const result = analyse({
      spec, startMs, endMs, timedOut, applyErrors, timelines: observer.timelines, sentMs, cpu, peak, idle, heap, requests,
      benchRequests: spec.tenants, nats: natsBefore && natsAfter
        ? { inMsgs: natsAfter.inMsgs - natsBefore.inMsgs, outMsgs: natsAfter.outMsgs - natsBefore.outMsgs } : undefined,
      eventsReceived, operatorCounters: counters, logDir, requestTrace, secondPrecisionEvents: observer.secondPrecisionEvents,
    });
    // The operators' logs only matter when something went wrong.
    if (result.ok) cleanups.push(async () => rmSync(logDir, { recursive: true, force: true }));
    return result;
  } finally {
    for (const cleanup of cleanups) {
      await cleanup().catch((error: unknown) => log(`  cleanup: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
}
