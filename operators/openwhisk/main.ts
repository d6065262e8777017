/**
 * The OpenWhisk operator process: `npx tsx operators/openwhisk/main.ts`. Wiring only: configuration from the
 * environment (`KUBECONFIG`, `NATS_URL` optional, `WATCH_NAMESPACE`, …), the real deps, health server and graceful
 * shutdown come from `shared/operator`. CouchDBs are watched when their CRD is installed (see `controller.ts`).
 */
import { isMainModule, runOperator, servesKind, type RunningOperator, type RunOperatorOptions } from '#shared/operator/index.ts';
import { couchdbKindRef, openwhiskController } from './controller.ts';
import { openwhiskOperator } from './reconcile.ts';

/** Starts the OpenWhisk operator; resolves once its caches are synced. */
export function startOpenWhiskOperator(options: Omit<RunOperatorOptions, 'name' | 'controllers'> = {}): Promise<RunningOperator> {
  return runOperator({
    ...options, name: openwhiskOperator,
    controllers: async (deps, config, runtime) => {
      const watchCouchDBs = await servesKind(deps.kube, { ...couchdbKindRef, ...(config.watchNamespace ? { namespace: config.watchNamespace } : {}) });
      if (!watchCouchDBs) deps.log.warn('the CouchDB CRD is not installed: spec.couchdb.ref is rechecked on a timer only');
      return [openwhiskController(deps, config, runtime, { watchCouchDBs })];
    },
  });
}

if (isMainModule(import.meta.url)) await startOpenWhiskOperator();
