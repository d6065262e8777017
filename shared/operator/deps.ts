/** Builds the real deps of an operator process: kube client, NATS bus, logger, clock. Nothing else builds clients. */
import { createBus } from '#shared/bus/nats.ts';
import type { BusMetricsHook } from '#shared/bus/counters.ts';
import { systemClock } from '#shared/clock/index.ts';
import type { OperatorConfig } from '#shared/config/index.ts';
import type { Deps } from '#shared/controller/types.ts';
import { createLogger, type Logger } from '#shared/observability/logger.ts';
import { kubeClientFor, kubeSource, type KubeEnv } from './kube-source.ts';

export interface BuiltDeps {
  deps: Deps;
  /** Close the bus (flushing queued events for a while) and the client's sockets. */
  close(): Promise<void>;
}

/**
 * The deps of operator `name`: field manager and NATS connection name `nimbus-<name>`. Throws `KubeSetupError` (one
 * line, see `kube-source.ts`) when no API server is configured or the kubeconfig cannot be used.
 */
export async function buildDeps(
  name: string, config: OperatorConfig,
  extras: { log?: Logger | undefined; metrics?: BusMetricsHook | undefined; env?: KubeEnv | undefined } = {},
): Promise<BuiltDeps> {
  const identity = `nimbus-${name}`;
  // The client first: a missing or broken kubeconfig must stop the start before anything else is opened.
  const kube = kubeClientFor(kubeSource(config.kubeconfig, extras.env), identity);
  const log = extras.log ?? createLogger({ name: identity, level: config.logLevel });
  // Without NATS_URL the bus is disabled (it logs the one warning itself).
  const bus = await createBus({ url: config.natsUrl, name: identity, log, metrics: extras.metrics });
  return {
    deps: { kube, bus, log, clock: systemClock },
    async close() {
      try {
        await bus.close();
      } finally {
        kube.close();
      }
    },
  };
}
