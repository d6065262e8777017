/**
 * The NATS operator process: `tsx operators/nats/main.ts`. Wiring only: configuration from the environment
 * (`KUBECONFIG`, `NATS_URL` optional, `WATCH_NAMESPACE`, …), the real deps, health server and graceful shutdown come
 * from `shared/operator`.
 */
import { isMainModule, runOperator, type RunningOperator, type RunOperatorOptions } from '#shared/operator/index.ts';
import { natsController } from './controller.ts';
import { natsOperator } from './reconcile.ts';

/** Starts the NATS operator; resolves once its caches are synced. */
export function startNatsOperator(options: Omit<RunOperatorOptions, 'name' | 'controllers'> = {}): Promise<RunningOperator> {
  return runOperator({ ...options, name: natsOperator, controllers: (deps, config, runtime) => [natsController(deps, config, runtime)] });
}

if (isMainModule(import.meta.url)) await startNatsOperator();
