/**
 * What every operator's `main.ts` does: configure from the environment, build the real deps (the only place a kube
 * client and a NATS connection are made), serve `/healthz` `/readyz` `/metrics`, run the controllers, and on SIGTERM
 * or SIGINT stop them gracefully and exit 0.
 */
import { ConfigError, loadConfig, type OperatorConfig } from '#shared/config/index.ts';
import type { Controller } from '#shared/controller/controller.ts';
import { onShutdownSignal } from '#shared/controller/shutdown.ts';
import { createMetrics } from '#shared/observability/metrics.ts';
import { startHealthServer } from '#shared/observability/http.ts';
import { buildDeps } from './deps.ts';
import { KubeSetupError } from './kube-source.ts';
import type { RunOperatorOptions, RunningOperator } from './types.ts';

/**
 * Run `fn`; a usage error (bad variable, no usable API server) prints one line and exits 2. The `exit` option may
 * return (tests): then the error is rethrown.
 */
async function orExit<T>(options: RunOperatorOptions, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof ConfigError) && !(error instanceof KubeSetupError)) throw error;
    process.stderr.write(`configuration error: ${error.message}\n`);
    (options.exit ?? ((code: number) => process.exit(code)))(2);
    throw error;
  }
}

function readiness(controllers: Controller[]): { ready: boolean; reason?: string } {
  const waiting = controllers.filter((c) => !c.ready()).length;
  return waiting === 0 ? { ready: true } : { ready: false, reason: `${waiting} of ${controllers.length} controller(s) not synced yet` };
}

/** Start an operator; resolves once every controller has synced its caches. */
export async function runOperator(options: RunOperatorOptions): Promise<RunningOperator> {
  const config: OperatorConfig = await orExit(options, () => loadConfig(options.env ?? process.env));
  const metrics = createMetrics();
  const built = await orExit(options, () => buildDeps(options.name, config, { log: options.log, metrics, env: options.env ?? process.env }));
  const { deps } = built;
  let controllers: Controller[];
  try {
    controllers = await options.controllers(deps, config, { metrics });
  } catch (error) {
    await built.close();
    throw error;
  }
  const server = await startHealthServer({ port: config.httpPort, metrics, isReady: () => readiness(controllers), log: deps.log });

  let stopping: Promise<void> | undefined;
  let removeSignalHandlers = (): void => {};
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      removeSignalHandlers();
      deps.log.info('stopping');
      await Promise.all(controllers.map((c) => c.stop()));
      await built.close();
      await server.close();
      deps.log.info('stopped');
    })();
    return stopping;
  };
  if (options.handleSignals ?? true) {
    removeSignalHandlers = onShutdownSignal([stop], options.exit ? { exit: options.exit } : {});
  }

  try {
    await Promise.all(controllers.map((c) => c.start()));
  } catch (error) {
    await stop();
    throw error;
  }
  deps.log.info({ healthPort: server.port, controllers: controllers.length, events: deps.bus.enabled }, 'operator started');
  return { healthPort: server.port, config, deps, controllers, ready: () => readiness(controllers).ready, stop };
}
