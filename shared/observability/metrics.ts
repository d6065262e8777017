/**
 * Prometheus metrics with controller-runtime-compatible names, so dashboards and alerts written for Go operators
 * work unchanged. One registry per process (never prom-client's global one, so tests can create many).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** controller-runtime's `result` label values. */
export const ReconcileResults = ['success', 'error', 'requeue', 'requeue_after'] as const;
export type ReconcileResultLabel = (typeof ReconcileResults)[number];

/** controller-runtime's reconcile_time_seconds buckets. */
const reconcileBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75,
  2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

export interface Metrics {
  readonly registry: Registry;
  /** One reconcile finished: `controller_runtime_reconcile_total`, `_errors_total`, `_time_seconds`. */
  reconcileDone(controller: string, result: ReconcileResultLabel, seconds: number): void;
  /** Same as `reconcileDone`; the shape the controller's `ControllerMetrics` interface expects. */
  reconciled(controller: string, outcome: ReconcileResultLabel, durationSeconds: number): void;
  /** `workqueue_depth{name}`. */
  queueDepth(name: string, depth: number): void;
  /** `workqueue_adds_total{name}`. */
  queueAdd(name: string): void;
  /** `workqueue_retries_total{name}`. */
  queueRetry(name: string): void;
  /** `controller_runtime_active_workers{controller}`. */
  activeWorkers(controller: string, count: number): void;
  /** `nimbus_events_published_total`. */
  eventPublished(): void;
  /** `nimbus_events_received_total`. */
  eventReceived(): void;
  /** Make a controller's series visible (at 0) before its first reconcile, as controller-runtime does. */
  initController(controller: string): void;
  /** The Prometheus text exposition. */
  text(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Also export process_* and nodejs_* metrics (default true). */
  defaultMetrics?: boolean;
}

/** Create a registry with every Nimbus metric registered. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const reconcileTotal = new Counter({
    name: 'controller_runtime_reconcile_total', help: 'Total number of reconciliations per controller',
    labelNames: ['controller', 'result'] as const, registers,
  });
  const reconcileErrors = new Counter({
    name: 'controller_runtime_reconcile_errors_total', help: 'Total number of reconciliation errors per controller',
    labelNames: ['controller'] as const, registers,
  });
  const reconcileTime = new Histogram({
    name: 'controller_runtime_reconcile_time_seconds', help: 'Length of time per reconciliation per controller',
    labelNames: ['controller'] as const, buckets: reconcileBuckets, registers,
  });
  const activeWorkers = new Gauge({
    name: 'controller_runtime_active_workers', help: 'Number of currently used workers per controller',
    labelNames: ['controller'] as const, registers,
  });
  const depth = new Gauge({
    name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames: ['name'] as const, registers,
  });
  const adds = new Counter({
    name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames: ['name'] as const, registers,
  });
  const retries = new Counter({
    name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames: ['name'] as const, registers,
  });
  const published = new Counter({
    name: 'nimbus_events_published_total', help: 'Events accepted by the NATS server', registers,
  });
  const received = new Counter({
    name: 'nimbus_events_received_total', help: 'Events handled by subscription handlers', registers,
  });

  const reconcileDone = (controller: string, result: ReconcileResultLabel, seconds: number): void => {
    reconcileTotal.inc({ controller, result });
    if (result === 'error') reconcileErrors.inc({ controller });
    reconcileTime.observe({ controller }, Math.max(0, seconds));
  };

  return {
    registry,
    reconcileDone,
    reconciled: reconcileDone,
    queueDepth: (name, value) => depth.set({ name }, value),
    queueAdd: (name) => adds.inc({ name }),
    queueRetry: (name) => retries.inc({ name }),
    activeWorkers: (controller, count) => activeWorkers.set({ controller }, count),
    eventPublished: () => published.inc(),
    eventReceived: () => received.inc(),
    initController(controller) {
      for (const result of ReconcileResults) reconcileTotal.inc({ controller, result }, 0);
      reconcileErrors.inc({ controller }, 0);
      activeWorkers.set({ controller }, 0);
      depth.set({ name: controller }, 0);
      adds.inc({ name: controller }, 0);
      retries.inc({ name: controller }, 0);
    },
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
