/**
 * `npm start`: with no cluster, Nimbus on one machine (embedded API server, nats-server, the four operators in this
 * process), the sample tenant onboarded while a live step table shows its progress; with a cluster (KUBECONFIG or
 * `--cluster`), the operators against it. Ctrl-C stops everything and removes the temporary state.
 */
import { parseArgs } from 'node:util';
import { isMainModule } from '#shared/operator/is-main.ts';
import { silentLogger } from '#shared/observability/logger.ts';
import { createInformer, type Informer } from '#shared/watch/index.ts';
import type { Tenant } from '#operators/main/types.ts';
import { applyFile } from './apply.ts';
import { runAgainstCluster } from './cluster-run.ts';
import { parseOrUsage, reportError, UsageError } from './errors.ts';
import { cliKubeClient } from './kube.ts';
import { createLiveView, type LiveView } from './live-view.ts';
import { startLocalSystem, type LocalSystem } from './local-system.ts';
import { operatorNames, parseOperatorNames } from './operators.ts';
import { sampleTenantFile } from './paths.ts';
import { stopOnSignal } from './signals.ts';
import { formatDurationMs } from './format.ts';
import { onboardingMs, tenantSummary } from './tenant-view.ts';

export const startUsage = `Usage: npm start [-- [options] [operator…]]

Without a cluster (no KUBECONFIG, no --cluster): starts an embedded Kubernetes API server with a simulated kubelet,
installs the CRDs, starts nats-server, runs the operators (${operatorNames.join(', ')}) in this process, onboards the
sample tenant (manifests/samples/tenant.yaml) and shows its progress live. Ctrl-C stops everything and removes the
temporary state.

With KUBECONFIG set, --kubeconfig or --cluster: runs the operators (all, or those named) against that cluster.

Options:
  --no-sample              do not apply manifests/samples/tenant.yaml (local mode)
  --sample                 apply it (cluster mode)
  --no-events              run without nats-server (operators fall back to timed requeues)
  --kubelet-delay-ms <ms>  how long the simulated kubelet takes to make workloads ready (default 300)
  --cluster                use the cluster of ~/.kube/config (or in-cluster) even without KUBECONFIG
  --kubeconfig <path>      use this cluster
  --nats-url <url>         the NATS bus in cluster mode (default $NATS_URL; none: events off)
  --log-level <level>      operator log level (default info)
  -h, --help               this help

Examples:
  npm start
  npm start -- --no-sample --kubelet-delay-ms 2000
  KUBECONFIG=~/.kube/config npm start -- couchdb nats
`;

function parseStartArgs(argv: string[]) {
  const { values, positionals } = parseOrUsage(() => parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      'no-sample': { type: 'boolean' },
      sample: { type: 'boolean' },
      'no-events': { type: 'boolean' },
      'kubelet-delay-ms': { type: 'string' },
      cluster: { type: 'boolean' },
      kubeconfig: { type: 'string' },
      'nats-url': { type: 'string' },
      'log-level': { type: 'string' },
    },
  }), startUsage);
  const delay = values['kubelet-delay-ms'] ?? '300';
  if (!/^\d+$/.test(delay)) throw new UsageError(`--kubelet-delay-ms must be a number of milliseconds, not "${delay}"`, startUsage);
  return { values, names: parseOperatorNames(positionals, startUsage), kubeletDelayMs: Number(delay) };
}

/** The "look around" text printed once the sample tenant is Ready (or at once without a sample). */
function lookAround(system: LocalSystem, tenant: Tenant | undefined): string {
  const kc = system.sim.kubeconfigPath;
  const lines: string[] = [];
  if (tenant) {
    const total = onboardingMs(tenant);
    lines.push(`Tenant ${tenant.metadata.name ?? ''} is ${tenantSummary(tenant).phase}${total === undefined ? '' : ` (onboarded in ${formatDurationMs(total)})`}. Look around:`);
  } else {
    lines.push('Nimbus is running. Look around:');
  }
  const ns = tenant ? tenantSummary(tenant).namespace : 'tenant-acme';
  lines.push(
    `  kubectl --kubeconfig ${kc} get tenants`,
    `  kubectl --kubeconfig ${kc} describe tenant ${tenant?.metadata.name ?? 'acme'}`,
    `  kubectl --kubeconfig ${kc} -n ${ns} get couchdbs,natsclusters,openwhisks,statefulsets,deployments,jobs,secrets`,
    `  npx nimbus status --kubeconfig ${kc}`,
  );
  if (system.nats) lines.push(`  npx nimbus events --nats-url ${system.nats.url}        (NATS URL: ${system.nats.url})`);
  lines.push(
    `  kubectl --kubeconfig ${kc} apply -f manifests/samples/tenant.yaml   (edit it to onboard another tenant)`,
    `  tail -f ${system.logPath}        (operator logs)`,
    'Ctrl-C stops everything and removes the temporary state.',
  );
  return lines.join('\n');
}

/** Follow every Tenant into the live view; `onTenant` sees each version. */
async function followTenants(system: LocalSystem, view: LiveView, onTenant: (t: Tenant) => void): Promise<{ informer: Informer; close(): void }> {
  const kube = cliKubeClient(system.sim.kubeconfigPath);
  const informer = createInformer({
    kube, kind: { apiVersion: 'nimbus.dev/v1alpha1', kind: 'Tenant' },
    log: silentLogger(),
    onEvent: (type, object) => {
      const tenant = object as Tenant;
      if (type === 'deleted') view.remove(tenant.metadata.name ?? '');
      else { view.update(tenant); onTenant(tenant); }
    },
  });
  await informer.start();
  return { informer, close: () => { informer.stop(); kube.close(); } };
}

async function startLocal(args: ReturnType<typeof parseStartArgs>): Promise<void> {
  const out = process.stdout;
  // A closed terminal (SIGHUP) makes writes fail; that must not interrupt the clean stop.
  out.on('error', () => {});
  const say = (text: string): void => { out.write(`${text}\n`); };
  const system = await startLocalSystem({
    operators: args.names, kubeletDelayMs: args.kubeletDelayMs, events: !args.values['no-events'],
    logLevel: args.values['log-level'] ?? 'info',
  });
  say(`nimbus: embedded API server ${system.sim.url} (simulated kubelet delay ${args.kubeletDelayMs} ms)`);
  say(`kubeconfig: ${system.sim.kubeconfigPath}`);
  say(system.nats ? `nimbus: nats-server ${system.nats.url} (pid ${system.nats.pid})` : 'nimbus: events off (--no-events)');
  say(`nimbus: operators ${args.names.join(', ')} running in this process (logs: ${system.logPath})`);
  const view = createLiveView({ out, tty: out.isTTY === true });
  const sample = !args.values['no-sample'];
  let announced = false;
  let follow: { close(): void } | undefined;
  const announce = (tenant: Tenant | undefined): void => {
    if (announced) return;
    announced = true;
    view.print(lookAround(system, tenant));
  };
  stopOnSignal(async () => {
    view.stop();
    out.write('nimbus: stopping…\n');
    follow?.close();
    await system.stop();
    out.write('nimbus: stopped; temporary state removed\n');
  });
  try {
    follow = await followTenants(system, view, (tenant) => {
      if (sample && tenant.metadata.name === 'acme' && ['Ready', 'Failed'].includes(tenantSummary(tenant).phase)) announce(tenant);
    });
    if (sample) {
      const kube = cliKubeClient(system.sim.kubeconfigPath);
      try {
        const applied = await applyFile(kube, sampleTenantFile);
        view.print(`nimbus: applied ${applied.join(', ')} (manifests/samples/tenant.yaml)`);
      } finally {
        kube.close();
      }
    } else {
      announce(undefined);
    }
  } catch (error) {
    view.stop();
    follow?.close();
    await system.stop();
    throw error;
  }
}

/** The entry point; returns when everything runs (the process then lives until a signal). */
export async function main(argv: string[]): Promise<void> {
  const args = parseStartArgs(argv);
  if (args.values.help) {
    process.stdout.write(startUsage);
    return;
  }
  const cluster = args.values.cluster === true || args.values.kubeconfig !== undefined || Boolean(process.env['KUBECONFIG']);
  if (cluster) {
    await runAgainstCluster({
      names: args.names, kubeconfig: args.values.kubeconfig, natsUrl: args.values['nats-url'],
      sample: args.values.sample === true, write: (t) => process.stdout.write(t),
    });
  } else {
    await startLocal(args);
  }
}

if (isMainModule(import.meta.url)) {
  await main(process.argv.slice(2)).catch((error: unknown) => {
    process.exit(reportError(error));
  });
}
