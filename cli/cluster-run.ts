/**
 * Running operators against an existing cluster (`npm start` with KUBECONFIG or `--cluster`, and `nimbus run`):
 * in this process, logging JSON to stdout like the operator images do, until Ctrl-C.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { applyFile } from './apply.ts';
import { cliKubeClient } from './kube.ts';
import { runOperators, type OperatorName } from './operators.ts';
import { sampleTenantFile } from './paths.ts';
import { stopOnSignal } from './signals.ts';

export interface ClusterRunOptions {
  names: readonly OperatorName[];
  /** `--kubeconfig`; else `$KUBECONFIG`; else `~/.kube/config` when it exists; else in-cluster. */
  kubeconfig?: string | undefined;
  /** `--nats-url`; else `$NATS_URL`; else events off. */
  natsUrl?: string | undefined;
  /** Apply manifests/samples/tenant.yaml once the operators run. */
  sample: boolean;
  write: (text: string) => void;
}

/** The kubeconfig to use, or undefined for in-cluster. */
export function clusterKubeconfig(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag) return flag;
  if (env['KUBECONFIG']) return env['KUBECONFIG'];
  const home = join(homedir(), '.kube', 'config');
  return existsSync(home) ? home : undefined;
}

/** Start the operators, apply the sample if asked, and keep running until SIGINT/SIGTERM (then exit 0). */
export async function runAgainstCluster(options: ClusterRunOptions): Promise<void> {
  const kubeconfig = clusterKubeconfig(options.kubeconfig);
  const natsUrl = options.natsUrl ?? process.env['NATS_URL'];
  const env: Record<string, string | undefined> = { ...process.env, KUBECONFIG: kubeconfig, NATS_URL: natsUrl };
  // Several operators in one process cannot all serve health on the same fixed port.
  if (options.names.length > 1) env['HTTP_PORT'] = '0';
  const operators = await runOperators({ names: options.names, env });
  const ports = Object.entries(operators.healthPorts).map(([n, p]) => `${n} :${p}`).join(', ');
  options.write(`nimbus: operators ${options.names.join(', ')} running against ${kubeconfig ?? 'the in-cluster API server'}`
    + ` (events ${natsUrl ? `on ${natsUrl}` : 'off'}; health/metrics ${ports}); Ctrl-C stops them\n`);
  if (options.sample) {
    const kube = cliKubeClient(kubeconfig);
    try {
      const applied = await applyFile(kube, sampleTenantFile);
      options.write(`nimbus: applied ${applied.join(', ')} from manifests/samples/tenant.yaml\n`);
    } finally {
      kube.close();
    }
  }
  stopOnSignal(async () => {
    options.write('nimbus: stopping the operators…\n');
    await operators.stop();
    options.write('nimbus: stopped\n');
  });
}
