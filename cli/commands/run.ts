/** `nimbus run <operator…>`: run operators in this process against the cluster of KUBECONFIG, until Ctrl-C. */
import { parseArgs } from 'node:util';
import { runAgainstCluster } from '../cluster-run.ts';
import { parseOrUsage, UsageError } from '../errors.ts';
import { operatorNames, parseOperatorNames } from '../operators.ts';

export const runUsage = `Usage: nimbus run <operator…|all> [--kubeconfig <path>] [--nats-url <url>] [--sample]

Runs the named operators (${operatorNames.join(', ')}, or all) in this process against the cluster of
--kubeconfig / $KUBECONFIG (else ~/.kube/config, else in-cluster), logging JSON to stdout. Each operator is
configured like its own process (NATS_URL, WATCH_NAMESPACE, LOG_LEVEL, CONCURRENCY, … from the environment).
Ctrl-C stops them cleanly.

Options:
  --kubeconfig <path>  the cluster
  --nats-url <url>     the event bus (default $NATS_URL; none: events off)
  --sample             apply manifests/samples/tenant.yaml once they run
  -h, --help           this help
`;

/** Resolves once the operators run; the process then lives until SIGINT/SIGTERM. */
export async function runCommand(argv: string[], write: (text: string) => void): Promise<number | 'running'> {
  const { values, positionals } = parseOrUsage(() => parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      kubeconfig: { type: 'string' }, 'nats-url': { type: 'string' }, sample: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }), runUsage);
  if (values.help) { write(runUsage); return 0; }
  if (positionals.length === 0) throw new UsageError('run needs the operators to run (or all)', runUsage);
  await runAgainstCluster({
    names: parseOperatorNames(positionals, runUsage), kubeconfig: values.kubeconfig, natsUrl: values['nats-url'],
    sample: values.sample === true, write,
  });
  return 'running';
}
