/**
 * The CouchDB operator process: `npx tsx operators/couchdb/main.ts`. Wiring only: configuration from the environment
 * (`KUBECONFIG`, `NATS_URL` optional, `WATCH_NAMESPACE`, …), the real deps, health server and graceful shutdown come
 * from `shared/operator`.
 */
import { isMainModule, runOperator, type RunningOperator, type RunOperatorOptions } from '#shared/operator/index.ts';
import { couchdbController } from './controller.ts';
import { couchdbOperator } from './reconcile.ts';

/** Starts the CouchDB operator; resolves once its caches are synced. */
export function startCouchDBOperator(options: Omit<RunOperatorOptions, 'name' | 'controllers'> = {}): Promise<RunningOperator> {
  return runOperator({ ...options, name: couchdbOperator, controllers: (deps, config, runtime) => [couchdbController(deps, config, runtime)] });
}

if (isMainModule(import.meta.url)) await startCouchDBOperator();
