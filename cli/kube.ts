/** The CLI's Kubernetes client: the shared adapter, field manager `nimbus-cli`, errors turned into one clear line. */
import { createKubeClient, type ClosableKubeClient } from '#shared/kube/index.ts';
import { CliError } from './errors.ts';

/** A client for `--kubeconfig`, else `$KUBECONFIG`, else `~/.kube/config`. */
export function cliKubeClient(kubeconfig?: string  ): ClosableKubeClient {
  try {
    return createKubeClient({ kubeconfigPath: kubeconfig, fieldManager: 'nimbus-cli', requestTimeoutMs: 10_000 });
  } catch (error) {
    const where = kubeconfig ?? process.env['KUBECONFIG'] ?? '~/.kube/config';
    throw new CliError(`cannot load the kubeconfig (${where}): ${(error as Error).message}; pass --kubeconfig <path> or set KUBECONFIG`, { cause: error });
  }
}

/** Wrap an API failure into a CliError that says what was being done. */
export function apiFailure(what: string, error: unknown): CliError {
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(`${what}: ${message}`, { cause: error });
}
