/**
 * The OpenWhisk operator process: `npx tsx operators/openwhisk/main.ts`. Wiring only: configuration from the
 * environment (`KUBECONFIG`, `NATS_URL` optional, `WATCH_NAMESPACE`, …), the real deps, health server and graceful
 * shutdown come from `shared/operator`.
 */
import { isMainModule, runOperator, type RunningOperator, type RunOperatorOptions } from '#shared/operator/index.ts';
import { openwhiskController } from './controller.ts';
import { openwhiskOperator } from './reconcile.ts';

/** Starts the OpenWhisk operator; resolves once its caches are synced. */
export function startOpenWhiskOperator(options: Omit<RunOperatorOptions, 'name' | 'controllers'> = {}): Promise<RunningOperator> {
  return runOperator({ ...options, name: openwhiskOperator, controllers: (deps, config, runtime) => [openwhiskController(deps, config, runtime)] });
}

if (isMainModule(import.meta.url)) await startOpenWhiskOperator();
