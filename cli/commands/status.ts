/** `nimbus status [tenant]`: the tenants at a glance, or one tenant's steps, endpoints, conditions and Events. */
import { parseArgs } from 'node:util';
import { NotFoundError } from '#shared/kube/errors.ts';
import type { KubeClient, KubeObject } from '#shared/kube/types.ts';
import type { Tenant } from '#operators/main/types.ts';
import { CliError, parseOrUsage } from '../errors.ts';
import { elapsedMs, formatAge, formatDurationMs, formatTable } from '../format.ts';
import { apiFailure, cliKubeClient } from '../kube.ts';
import { conditionsOf, stepRows, tenantSummary } from '../tenant-view.ts';

export const statusUsage = `Usage: nimbus status [tenant] [--kubeconfig <path>] [--json]

Without a tenant: every tenant with its phase, steps, namespace and age.
With a tenant: its steps with timings, endpoints, credentials Secret, conditions and recent Events.

Options:
  --kubeconfig <path>  the cluster (default $KUBECONFIG, then ~/.kube/config)
  --json               print the Tenant object(s) as JSON
  -h, --help           this help
`;

const tenantKind = { apiVersion: 'nimbus.dev/v1alpha1', kind: 'Tenant' } as const;

/** The table of every tenant. */
export function tenantTable(tenants: readonly Tenant[], nowMs: number = Date.now()): string[] {
  if (tenants.length === 0) return ['No tenants.'];
  const rows = tenants.map((t) => {
    const s = tenantSummary(t);
    return [s.name, s.phase, s.steps, s.namespace || '-', formatAge(t.metadata.creationTimestamp, nowMs)];
  });
  return formatTable(['NAME', 'PHASE', 'STEPS', 'NAMESPACE', 'AGE'], rows);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Events about the tenant (namespace `default`, where cluster-scoped objects' Events go) and in its namespace. */
async function recentEvents(kube: KubeClient, tenant: Tenant, limit = 15): Promise<KubeObject[]> {
  const name = tenant.metadata.name ?? '';
  const namespaces = ['default', tenantSummary(tenant).namespace].filter(Boolean);
  const lists = await Promise.all(namespaces.map((namespace) =>
    kube.list({ apiVersion: 'v1', kind: 'Event', namespace }).then((l) => l.items, () => [] as KubeObject[])));
  const relevant = lists.flat().filter((e) => {
    const involved = (e['involvedObject'] ?? {}) as Record<string, unknown>;
    return e.metadata.namespace !== 'default' || (involved['kind'] === 'Tenant' && involved['name'] === name);
  });
  const time = (e: KubeObject): string => str(e['lastTimestamp']) || str(e['eventTime']) || (e.metadata.creationTimestamp ?? '');
  return relevant.sort((a, b) => time(a).localeCompare(time(b))).slice(-limit);
}

/** The details of one tenant, as lines. */
export function tenantDetails(tenant: Tenant, events: readonly KubeObject[], nowMs: number = Date.now()): string[] {
  const s = tenantSummary(tenant);
  const status = tenant.status ?? {};
  const lines = [
    `Name:        ${s.name}${tenant.spec?.displayName ? `  (${tenant.spec.displayName})` : ''}`,
    `Phase:       ${s.phase}`,
    `Steps:       ${s.steps}`,
    `Namespace:   ${s.namespace || '-'}`,
    `Age:         ${formatAge(tenant.metadata.creationTimestamp, nowMs)}`,
    '',
    'Steps:',
  ];
  const steps = stepRows(tenant, nowMs);
  if (steps.length === 0) lines.push('  (none yet: the main operator has not reconciled this tenant)');
  else {
    const started = new Map<string, string | undefined>((status.steps ?? []).map((st) => [st.name, st.startedAt]));
    lines.push(...formatTable(['STEP', 'STATE', 'STARTED', 'TIME', 'MESSAGE'], steps.map((r) => {
      const at = elapsedMs(tenant.metadata.creationTimestamp, started.get(r.name), nowMs);
      return [r.name, r.state, at === undefined ? '' : `+${formatDurationMs(at)}`, r.duration, r.message];
    })).map((l) => `  ${l}`));
  }
  const endpoints = Object.entries(status.endpoints ?? {});
  lines.push('', 'Endpoints:', ...(endpoints.length ? endpoints.map(([k, v]) => `  ${k}: ${String(v)}`) : ['  (none yet)']));
  lines.push('', `Credentials: ${status.credentialsSecret ? `Secret ${s.namespace}/${status.credentialsSecret}` : '(not written yet)'}`);
  const conditions = conditionsOf(tenant);
  lines.push('', 'Conditions:');
  if (conditions.length === 0) lines.push('  (none)');
  else lines.push(...formatTable(['TYPE', 'STATUS', 'REASON', 'AGE', 'MESSAGE'], conditions.map((c) =>
    [c.type, c.status, c.reason, formatAge(c.lastTransitionTime, nowMs), c.message])).map((l) => `  ${l}`));
  lines.push('', 'Events:');
  if (events.length === 0) lines.push('  (none)');
  else lines.push(...formatTable(['AGE', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], events.map((e) => {
    const involved = (e['involvedObject'] ?? {}) as Record<string, unknown>;
    const when = str(e['lastTimestamp']) || str(e['eventTime']) || e.metadata.creationTimestamp;
    return [formatAge(when, nowMs), str(e['type']), str(e['reason']), `${str(involved['kind']).toLowerCase()}/${str(involved['name'])}`, str(e['message'])];
  })).map((l) => `  ${l}`));
  return lines;
}

export async function statusCommand(argv: string[], write: (text: string) => void): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { kubeconfig: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  }), statusUsage);
  if (values.help) { write(statusUsage); return 0; }
  if (positionals.length > 1) throw new CliError(`status takes at most one tenant name, got ${positionals.join(' ')}`);
  const kube = cliKubeClient(values.kubeconfig);
  try {
    const name = positionals[0];
    if (name === undefined) {
      const list = await kube.list<Tenant>(tenantKind).catch((error: unknown) => { throw apiFailure('listing tenants', error); });
      const items = [...list.items].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
      write(values.json ? `${JSON.stringify(items, null, 2)}\n` : `${tenantTable(items).join('\n')}\n`);
      return 0;
    }
    const tenant = await kube.get<Tenant>({ ...tenantKind, name }).catch((error: unknown) => {
      if (error instanceof NotFoundError) throw new CliError(`tenant "${name}" not found`, { cause: error });
      throw apiFailure(`reading tenant ${name}`, error);
    });
    if (values.json) { write(`${JSON.stringify(tenant, null, 2)}\n`); return 0; }
    write(`${tenantDetails(tenant, await recentEvents(kube, tenant)).join('\n')}\n`);
    return 0;
  } finally {
    kube.close();
  }
}
