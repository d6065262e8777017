/**
 * What the controller reports, as an interface so it does not depend on a metrics library. The observability module
 * maps these onto controller-runtime names: `controller_runtime_reconcile_total{controller,result}`,
 * `controller_runtime_reconcile_errors_total`, `controller_runtime_reconcile_time_seconds`, `workqueue_depth{name}`.
 */

export type ReconcileOutcome = 'success' | 'error' | 'requeue_after';

export interface ControllerMetrics {
  reconciled(controller: string, outcome: ReconcileOutcome, durationSeconds: number): void;
  queueDepth(controller: string, depth: number): void;
  activeWorkers(controller: string, count: number): void;
  /** `workqueue_adds_total{name}`, when the implementation counts it. */
  queueAdd?(name: string): void;
  /** `workqueue_retries_total{name}`, when the implementation counts it. */
  queueRetry?(name: string): void;
}

/** Metrics that go nowhere. */
export const noMetrics: ControllerMetrics = {
  reconciled: () => {},
  queueDepth: () => {},
  activeWorkers: () => {},
};
