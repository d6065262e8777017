/** Turns the raw observations of one run into the figures the README reports. */
import type { ChildKind, TenantTimeline } from './observer.ts';
import type { RunSpec } from './run.ts';
import type { RequestCounts } from './sim-protocol.ts';
import { summarize, type Summary } from './stats.ts';

/** The transitions between steps, each "what must be Ready" → "what the next step creates". */
export const transitionNames = [
  'namespace→couchdb', 'namespace→nats', 'couchdb→openwhisk', 'openwhisk→credentials', 'credentials→tenant Ready',
] as const;
export type TransitionName = (typeof transitionNames)[number];

export interface RunInput {
  spec: RunSpec;
  startMs: number;
  endMs: number;
  timedOut: boolean;
  applyErrors: number;
  timelines: Map<string, TenantTimeline>;
  sentMs: Map<string, number>;
  cpu: Record<string, number>;
  peak: Record<string, { sampled: number; hwm: number }>;
  idle: Record<string, number>;
  heap: Record<string, { usedMiB: number; totalMiB: number }>;
  requests: RequestCounts | undefined;
  /** Requests the benchmark itself made in the window (the applies). */
  benchRequests: number;
  nats: { inMsgs: number; outMsgs: number } | undefined;
  eventsReceived: number;
  operatorCounters: Record<string, { reconciles: number; published: number; received: number }>;
  logDir: string;
  /** Per operator: requests per tenant by `METHOD resource` (only with --trace-requests). */
  requestTrace: Record<string, Record<string, number>>;
  secondPrecisionEvents: number;
}

export interface RunResult {
  tenants: number;
  bus: 'nats' | 'no-nats';
  kubeletDelayMs: number;
  concurrency: number;
  /** Tenants applied one at a time (each after the previous was Ready). */
  oneAtATime: boolean;
  target: 'sim' | 'cluster';
  ok: boolean;
  ready: number;
  notReady: string[];
  totalMs: number;
  /** Tenant ADDED (seen by the bench's watch) → Ready (seen by the bench's watch). */
  onboardingMs: Summary;
  /** Apply request sent → Ready. */
  applyToReadyMs: Summary;
  /** Child `ready` event `time` → next step's child ADDED (NATS runs only). */
  transitionFromEventMs: Partial<Record<TransitionName, Summary>>;
  /** Child Ready seen by the bench's watch → next step's child ADDED (both modes). */
  transitionFromWatchMs: Partial<Record<TransitionName, Summary>>;
  /** Event `time` → event received by the bench (bus delivery through a JetStream consumer). */
  eventDeliveryMs: Summary | null;
  /** Operator requests to the API server per tenant (the bench's own applies excluded). */
  apiRequestsPerTenant: number | null;
  apiRequestsByVerbPerTenant: Record<string, number> | null;
  /** Completion events per tenant, and every message the nats-server received/sent per tenant. */
  eventsPerTenant: number | null;
  natsInMsgsPerTenant: number | null;
  natsOutMsgsPerTenant: number | null;
  /** CPU milliseconds per tenant, per process (operators, sim, nats-server, bench). */
  cpuMsPerTenant: Record<string, number>;
  cpuSecondsTotal: Record<string, number>;
  peakRssMiB: Record<string, { sampled: number; hwm: number }>;
  idleRssMiB: Record<string, number>;
  /** JS heap used/total of each operator at idle (after the idle wait). */
  idleHeapMiB: Record<string, { usedMiB: number; totalMiB: number }>;
  reconcilesPerTenant: Record<string, number>;
  /** Per operator: requests per tenant by `METHOD resource` (only with --trace-requests). */
  requestTrace?: Record<string, Record<string, number>>;
  /** Completion events whose `time` had no milliseconds (their receive time was used instead). */
  secondPrecisionEvents: number;
  logDir: string;
}

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

function latestOf(values: Array<number | undefined>): number | undefined {
  if (values.some((v) => v === undefined)) return undefined;
  return Math.max(...(values as number[]));
}

/** Transition samples from a per-child "ready" time source. */
function transitions(timelines: Iterable<TenantTimeline>, readyOf: (t: TenantTimeline, kind: ChildKind) => number | undefined): Partial<Record<TransitionName, Summary>> {
  const samples: Record<TransitionName, number[]> = {
    'namespace→couchdb': [], 'namespace→nats': [], 'couchdb→openwhisk': [], 'openwhisk→credentials': [], 'credentials→tenant Ready': [],
  };
  const add = (name: TransitionName, from: number | undefined, to: number | undefined): void => {
    if (from !== undefined && to !== undefined) samples[name].push(to - from);
  };
  for (const t of timelines) {
    add('namespace→couchdb', t.namespaceAddedMs, t.childAddedMs.CouchDB);
    add('namespace→nats', t.namespaceAddedMs, t.childAddedMs.NatsCluster);
    add('couchdb→openwhisk', readyOf(t, 'CouchDB'), t.childAddedMs.OpenWhisk);
    // The credentials step needs every component Ready: its transition starts at the last of them.
    add('openwhisk→credentials', latestOf([readyOf(t, 'CouchDB'), readyOf(t, 'NatsCluster'), readyOf(t, 'OpenWhisk')]), t.envSecretAddedMs);
    add('credentials→tenant Ready', t.envSecretAddedMs, t.readyMs);
  }
  const out: Partial<Record<TransitionName, Summary>> = {};
  for (const name of transitionNames) if (samples[name].length > 0) out[name] = summarize(samples[name]);
  return out;
}

export function analyse(input: RunInput): RunResult {
  const { spec, timelines } = input;
  const n = spec.tenants;
  const all = [...timelines.entries()];
  const ready = all.filter(([, t]) => t.readyMs !== undefined);
  const notReady = all.filter(([, t]) => t.readyMs === undefined).map(([name, t]) => `${name} (${t.phase ?? 'no status'})`);
  const onboarding = ready.map(([, t]) => (t.readyMs ?? 0) - (t.createdMs ?? t.readyMs ?? 0));
  const applyToReady = ready.map(([name, t]) => (t.readyMs ?? 0) - (input.sentMs.get(name) ?? t.readyMs ?? 0));
  const delivery: number[] = [];
  for (const [, t] of all) {
    for (const kind of ['CouchDB', 'NatsCluster', 'OpenWhisk'] as const) {
      const sent = t.childReadyEventMs[kind];
      const got = t.childReadyEventReceivedMs[kind];
      if (sent !== undefined && got !== undefined) delivery.push(got - sent);
    }
  }
  const lastReady = Math.max(input.startMs, ...ready.map(([, t]) => t.readyMs ?? 0));
  const cpuPerTenant: Record<string, number> = {};
  const cpuTotal: Record<string, number> = {};
  for (const [name, seconds] of Object.entries(input.cpu)) {
    cpuTotal[name] = round(seconds, 2);
    cpuPerTenant[name] = round((seconds / n) * 1000, 2);
  }
  const operatorRequests = input.requests ? input.requests.total - input.benchRequests : undefined;
  const byVerb = input.requests
    ? Object.fromEntries(Object.entries(input.requests.byVerb).map(([verb, count]) => [verb, round((count - (verb === 'patch' ? input.benchRequests : 0)) / n, 1)]))
    : null;
  return {
    tenants: n, bus: spec.bus, kubeletDelayMs: spec.kubeletDelayMs, concurrency: spec.concurrency, oneAtATime: spec.oneAtATime,
    target: spec.kubeconfig ? 'cluster' : 'sim',
    ok: !input.timedOut && input.applyErrors === 0 && ready.length === n,
    ready: ready.length,
    notReady: notReady.slice(0, 20),
    totalMs: (input.timedOut ? input.endMs : lastReady) - input.startMs,
    onboardingMs: summarize(onboarding),
    applyToReadyMs: summarize(applyToReady),
    transitionFromEventMs: spec.bus === 'nats' ? transitions(timelines.values(), (t, kind) => t.childReadyEventMs[kind]) : {},
    transitionFromWatchMs: transitions(timelines.values(), (t, kind) => t.childReadyWatchMs[kind]),
    eventDeliveryMs: delivery.length ? summarize(delivery) : null,
    apiRequestsPerTenant: operatorRequests === undefined ? null : round(operatorRequests / n, 1),
    apiRequestsByVerbPerTenant: byVerb,
    eventsPerTenant: spec.bus === 'nats' ? round(input.eventsReceived / n, 2) : null,
    natsInMsgsPerTenant: input.nats ? round(input.nats.inMsgs / n, 1) : null,
    natsOutMsgsPerTenant: input.nats ? round(input.nats.outMsgs / n, 1) : null,
    cpuMsPerTenant: cpuPerTenant,
    cpuSecondsTotal: cpuTotal,
    peakRssMiB: Object.fromEntries(Object.entries(input.peak).map(([k, v]) => [k, { sampled: round(v.sampled, 1), hwm: round(v.hwm, 1) }])),
    idleRssMiB: Object.fromEntries(Object.entries(input.idle).map(([k, v]) => [k, round(v, 1)])),
    idleHeapMiB: input.heap,
    reconcilesPerTenant: Object.fromEntries(Object.entries(input.operatorCounters).map(([k, v]) => [k, round(v.reconciles / n, 1)])),
    ...(Object.keys(input.requestTrace).length > 0 ? { requestTrace: input.requestTrace } : {}),
    secondPrecisionEvents: input.secondPrecisionEvents,
    logDir: input.logDir,
  };
}
