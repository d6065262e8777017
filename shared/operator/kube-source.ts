/**
 * Where an operator finds its API server, decided once at start with the rules of controller-runtime's `GetConfig`:
 * `$KUBECONFIG` (the first existing file of a `:` list), else the in-cluster service account when running in a pod,
 * else `~/.kube/config`. When none applies, or the kubeconfig cannot be used, the start stops with ONE line saying
 * what is missing and how to fix it (a `KubeSetupError`, exit status 2), never a stack trace.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createKubeClient, type ClosableKubeClient } from '#shared/kube/client.ts';

/** The API server cannot be reached as configured: a usage error, printed as one line. */
export class KubeSetupError extends Error {
  override name = 'KubeSetupError';
}

/** Where the connection comes from: a kubeconfig file, or the pod's service account. */
export type KubeSource = { kind: 'kubeconfig'; path: string; fromEnv: boolean } | { kind: 'in-cluster' };

/** The environment the decision reads (process.env by default). */
export type KubeEnv = Readonly<Record<string, string | undefined>>;

/** Decide the source; throws KubeSetupError when there is none. */
export function kubeSource(kubeconfig: string | undefined, env: KubeEnv = process.env): KubeSource {
  if (kubeconfig !== undefined) {
    const path = kubeconfig.split(':').find((p) => p !== '' && existsSync(p));
    if (path) return { kind: 'kubeconfig', path, fromEnv: true };
    throw new KubeSetupError(`KUBECONFIG=${JSON.stringify(kubeconfig)} names no existing file: point it at a kubeconfig file`);
  }
  if (env['KUBERNETES_SERVICE_HOST'] && env['KUBERNETES_SERVICE_PORT']) return { kind: 'in-cluster' };
  const home = join(homedir(), '.kube', 'config');
  if (existsSync(home)) return { kind: 'kubeconfig', path: home, fromEnv: false };
  throw new KubeSetupError(
    'no Kubernetes API server configured: KUBECONFIG is not set, ~/.kube/config does not exist and this is not a pod '
    + '(KUBERNETES_SERVICE_HOST is not set); set KUBECONFIG=/path/to/kubeconfig, or run the operator in the cluster',
  );
}

/** The first line of an error's message (YAML parse errors quote the offending lines after it). */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').trim() || 'unreadable';
}

/** The client for the source; a kubeconfig that does not parse or lacks a context/server is a KubeSetupError. */
export function kubeClientFor(source: KubeSource, fieldManager: string): ClosableKubeClient {
  try {
    return source.kind === 'in-cluster'
      ? createKubeClient({ inCluster: true, fieldManager })
      : createKubeClient({ kubeconfigPath: source.path, fieldManager });
  } catch (error) {
    const where = source.kind === 'in-cluster'
      ? 'the in-cluster service account cannot be used'
      : `${source.fromEnv ? 'KUBECONFIG' : 'the kubeconfig'} ${source.path} cannot be used`;
    const fix = source.kind === 'in-cluster' ? 'check the pod\'s service account' : 'fix the file or point KUBECONFIG at a valid kubeconfig';
    throw new KubeSetupError(`${where}: ${firstLine(error)}; ${fix}`, { cause: error });
  }
}
