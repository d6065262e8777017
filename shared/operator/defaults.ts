/** Controller options that come from the process configuration rather than from the operator. */
import type { OperatorConfig } from '#shared/config/index.ts';
import type { CommonControllerOptions, OperatorRuntime } from './types.ts';

/** How long a leader's Lease lasts without renewal, and how often it renews (client-go's defaults are 15 s / 10 s). */
export const leaseDurationMs = 15_000;
export const leaseRenewMs = 5_000;

/**
 * The options a controller named `name` takes from the config: workers (`CONCURRENCY`), the watched namespace
 * (`WATCH_NAMESPACE`), leader election on the Lease `nimbus-<name>` in `POD_NAMESPACE` (`LEADER_ELECT`), the resync
 * period (`RESYNC_SECONDS`) and the process's metrics.
 */
export function commonControllerOptions(name: string, config: OperatorConfig, runtime: OperatorRuntime = {}): CommonControllerOptions {
  const options: CommonControllerOptions = { concurrency: config.concurrency };
  if (config.watchNamespace) options.namespace = config.watchNamespace;
  if (config.resyncSeconds > 0) options.resyncMs = config.resyncSeconds * 1000;
  if (runtime.metrics) options.metrics = runtime.metrics;
  if (config.leaderElect) {
    options.leaderElection = {
      leaseName: `nimbus-${name}`, namespace: config.podNamespace, identity: config.podName,
      leaseDurationMs, renewMs: leaseRenewMs,
    };
  }
  return options;
}
