/**
 * The benchmark's own view of an onboarding run, timestamped on receipt with this process's clock (the same machine
 * clock the operators stamp events with): watches on Tenants, tenant Namespaces, the child CRs and the `<tenant>-env`
 * Secrets, plus the NATS completion events. Kubernetes timestamps (second precision) are never used for latencies.
 */
import type { Bus } from '#shared/bus/types.ts';
import type { NimbusEvent } from '#shared/bus/types.ts';
import type { KindRef, KubeClient, KubeObject } from '#shared/kube/types.ts';
import type { Logger } from '#shared/observability/logger.ts';
import { createInformer, type Informer, type InformerEventType } from '#shared/watch/index.ts';

export const childKinds = ['CouchDB', 'NatsCluster', 'OpenWhisk'] as const;
export type ChildKind = (typeof childKinds)[number];

/**
 * The benchmark's caches keep only what it reads (name, labels, status.phase): it is a process on the same 2 cores
 * as what it measures, so it should spend as little as it can.
 */
function whatTheBenchReads(object: KubeObject): KubeObject {
  const { name, namespace, labels, uid, resourceVersion } = object.metadata;
  const metadata = Object.fromEntries(Object.entries({ name, namespace, labels, uid, resourceVersion }).filter(([, v]) => v !== undefined));
  const status = object['status'] as Record<string, unknown> | undefined;
  const kept: KubeObject = { apiVersion: object.apiVersion, kind: object.kind, metadata };
  if (status && 'phase' in status) kept['status'] = { phase: status['phase'] };
  return kept;
}

/** Everything observed about one tenant; times are epoch milliseconds (Date.now()) of receipt. */
export interface TenantTimeline {
  /** Tenant ADDED seen by the watch (or the create call returned, whichever came first). */
  createdMs?: number;
  /** First time `status.phase == Ready` was seen. */
  readyMs?: number;
  /** Last phase seen. */
  phase?: string;
  namespaceAddedMs?: number;
  childAddedMs: Partial<Record<ChildKind, number>>;
  /** First watch event showing the child's `status.phase == Ready`. */
  childReadyWatchMs: Partial<Record<ChildKind, number>>;
  /** `time` of the first `ready` event of the child (the publisher's clock, ms precision). */
  childReadyEventMs: Partial<Record<ChildKind, number>>;
  /** When that event reached the benchmark. */
  childReadyEventReceivedMs: Partial<Record<ChildKind, number>>;
  envSecretAddedMs?: number;
}

const group = 'nimbus.dev/v1alpha1';
const tenantKind: KindRef = { apiVersion: group, kind: 'Tenant' };
const tenantLabel = 'nimbus.dev/tenant';

function phaseOf(object: KubeObject): string | undefined {
  const status = object['status'];
  if (typeof status !== 'object' || status === null) return undefined;
  const phase = (status as { phase?: unknown }).phase;
  return typeof phase === 'string' ? phase : undefined;
}

export interface ObserverOptions {
  kube: KubeClient;
  log: Logger;
  /** Only tenants whose name starts with this are recorded (the run's own). */
  prefix: string;
  /** The NATS bus to read completion events from (absent: no event timings). */
  bus?: Bus | undefined;
}

export class Observer {
  readonly timelines = new Map<string, TenantTimeline>();
  /** Completion events seen, all phases (the run's tenants only). */
  eventsReceived = 0;
  /** Events whose `time` had no milliseconds (their receive time stood in). */
  secondPrecisionEvents = 0;
  /** Watch events handled by the benchmark (all kinds). */
  watchEvents = 0;
  private readonly informers: Informer[] = [];
  private readonly options: ObserverOptions;
  private stopSubscription: (() => Promise<void>) | undefined;
  private onChange: (() => void) | undefined;

  constructor(options: ObserverOptions) {
    this.options = options;
  }

  timeline(tenant: string): TenantTimeline | undefined {
    if (!tenant.startsWith(this.options.prefix)) return undefined;
    let t = this.timelines.get(tenant);
    if (!t) {
      t = { childAddedMs: {}, childReadyWatchMs: {}, childReadyEventMs: {}, childReadyEventReceivedMs: {} };
      this.timelines.set(tenant, t);
    }
    return t;
  }

  /** Called after every recorded change (the runner checks for completion). */
  notify(callback: () => void): void {
    this.onChange = callback;
  }

  private watch(kind: KindRef, handler: (type: InformerEventType, object: KubeObject, nowMs: number) => void, labelSelector?: string): void {
    this.informers.push(createInformer({
      kube: this.options.kube, kind, log: this.options.log, labelSelector, transform: whatTheBenchReads,
      onEvent: (type, object) => {
        this.watchEvents++;
        handler(type, object, Date.now());
        this.onChange?.();
      },
    }));
  }

  /** Starts the watches (and the event subscription); resolves once every watch has listed. */
  async start(): Promise<void> {
    this.watch(tenantKind, (type, object, now) => {
      const t = this.timeline(object.metadata.name ?? '');
      if (!t || type === 'deleted') return;
      t.createdMs ??= now;
      const phase = phaseOf(object);
      if (phase) t.phase = phase;
      if (phase === 'Ready') t.readyMs ??= now;
    });
    this.watch({ apiVersion: 'v1', kind: 'Namespace' }, (type, object, now) => {
      const t = this.timeline(object.metadata.labels?.[tenantLabel] ?? '');
      if (t && type === 'added') t.namespaceAddedMs ??= now;
    }, tenantLabel);
    for (const kind of childKinds) {
      this.watch({ apiVersion: group, kind }, (type, object, now) => {
        const t = this.timeline(object.metadata.labels?.[tenantLabel] ?? object.metadata.name ?? '');
        if (!t || type === 'deleted') return;
        t.childAddedMs[kind] ??= now;
        if (phaseOf(object) === 'Ready') t.childReadyWatchMs[kind] ??= now;
      });
    }
    this.watch({ apiVersion: 'v1', kind: 'Secret' }, (type, object, now) => {
      const name = object.metadata.name ?? '';
      if (type !== 'added' || !name.endsWith('-env')) return;
      const t = this.timeline(name.slice(0, -'-env'.length));
      if (t) t.envSecretAddedMs ??= now;
    }, `${tenantLabel},app.kubernetes.io/managed-by=nimbus-main`); // the env Secrets only: not every tenant Secret
    await Promise.all(this.informers.map((i) => i.start()));
    const bus = this.options.bus;
    if (bus?.enabled) {
      const sub = await bus.subscribe(`nimbus-bench-${process.pid}`, 'nimbus.events.>', (event) => this.onEvent(event));
      this.stopSubscription = () => sub.stop();
    }
  }

  private onEvent(event: NimbusEvent): void {
    const now = Date.now();
    const kind = childKinds.find((k) => k === event.data.ref.kind);
    const t = this.timeline(event.data.tenant ?? event.data.ref.name);
    if (!t) return;
    this.eventsReceived++;
    if (!kind || !event.type.endsWith('.ready')) return;
    // A `time` without milliseconds cannot time a millisecond step: use the receive time then (and say so).
    const time = /\.\d+(Z|[+-]\d\d:\d\d)$/.test(event.time) ? Date.parse(event.time) : Number.NaN;
    if (!Number.isFinite(time)) this.secondPrecisionEvents++;
    t.childReadyEventMs[kind] ??= Number.isFinite(time) ? time : now;
    t.childReadyEventReceivedMs[kind] ??= now;
    this.onChange?.();
  }

  async stop(): Promise<void> {
    for (const informer of this.informers) informer.stop();
    await this.stopSubscription?.();
  }
}
