/** The controller runtime: work queue, workers, leader election, finalizers, status, Events, shutdown. */
export * from './types.ts';
export { createController } from './controller.ts';
export type { Controller, ControllerOptions, WatchSpec } from './controller.ts';
export { WorkQueue } from './queue.ts';
export type { WorkQueueOptions } from './queue.ts';
export { backoffDelayMs, defaultBackoff } from './backoff.ts';
export type { BackoffOptions } from './backoff.ts';
export { startLeaderElection } from './leader.ts';
export type { LeaderElectionOptions, LeaderElector } from './leader.ts';
export { ensureFinalizer, hasFinalizer, removeFinalizer } from './finalizer.ts';
export { writeStatusIfChanged } from './status.ts';
export { recordEvent } from './events.ts';
export type { EventInput } from './events.ts';
export { onShutdownSignal } from './shutdown.ts';
export type { StopFn } from './shutdown.ts';
export { noMetrics } from './metrics.ts';
export type { ControllerMetrics, ReconcileOutcome } from './metrics.ts';
