/** The operator process bootstrap: config, real deps, health server, controllers, graceful shutdown. */
export * from './types.ts';
export { runOperator } from './run.ts';
export { buildDeps, type BuiltDeps } from './deps.ts';
export { commonControllerOptions, leaseDurationMs, leaseRenewMs } from './defaults.ts';
export { isMainModule } from './is-main.ts';
export { servesKind } from './discovery.ts';
export { KubeSetupError, kubeClientFor, kubeSource, type KubeSource } from './kube-source.ts';
