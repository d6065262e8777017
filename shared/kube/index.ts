/** The Kubernetes adapter: the KubeClient contract, its typed errors, and the client-node implementation. */
export * from './types.ts';
export * from './errors.ts';
export { createKubeClient } from './client.ts';
export type { ClosableKubeClient, KubeClientOptions } from './client.ts';
