/** Builds the real deps of an operator process: kube client, NATS bus, logger, clock. Nothing else builds clients. */
import { existsSync } from 'node:fs';
import { createBus } from '#shared/bus/nats.ts';
import type { BusMetricsHook } from '#shared/bus/counters.ts';
import { systemClock } from '#shared/clock/index.ts';
import type { OperatorConfig } from '#shared/config/index.ts';
import type { Deps } from '#shared/controller/types.ts';
import { createKubeClient } from '#shared/kube/client.ts';
import { createLogger, type Logger } from '#shared/observability/logger.ts';

export interface BuiltDeps {
  deps: Deps;
  /** Close the bus (flushing queued events for a while) and the client's sockets. */
  close(): Promise<void>;
}

/** The deps of operator `name`: field manager and NATS connection name `nimbus-<name>`. */
export async function buildDeps(
  name: string, config: OperatorConfig, extras: { log?: Logger | undefined; metrics?: BusMetricsHook | undefined } = {},
): Promise<BuiltDeps> {
  const identity = `nimbus-${name}`;
  const log = extras.log ?? createLogger({ name: identity, level: config.logLevel });
  // KUBECONFIG may be a path list like kubectl's; the client loads one file: the first that exists.
  const kubeconfigPath = config.kubeconfig?.split(':').find((path) => path !== '' && existsSync(path));
  const kube = createKubeClient({ kubeconfigPath, inCluster: kubeconfigPath === undefined, fieldManager: identity });
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
