/**
 * Least privilege, proven (issue 8 item 5). The sim enforces RBAC from the Roles and bindings of
 * `manifests/operators/*` (installed from their kustomize output, as `kubectl apply -k` would) and logs every
 * authorization decision. The four operators run as child processes, each as its own ServiceAccount (a TokenRequest
 * token in its own kubeconfig), with leader election on and a real nats-server. The sample Tenant (Retain) and a
 * copy with deletionPolicy Delete are onboarded to Ready 5/5 and deleted; then the operators are stopped with SIGTERM
 * (exit 0, Lease released).
 *
 * 1. Not one request of any operator is refused (a missing permission fails here, naming it), including the checks a
 *    real server makes at write time: create for an apply that creates, RBAC escalation prevention.
 * 2. Every permission the manifests grant was used during the run, or its rule says why with `# rbac-unused-ok:`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import type { KubeObject } from '#shared/kube/types.ts';
import { startApiServer, type ApiServer } from '#sim/index.ts';
import { describeDecision, rbacEnforcement, type RbacEnforcement } from '#sim/auth/index.ts';
import { startNats, type NatsFixture } from '../fixtures/nats.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { loadOperatorRbac, repoRoot, type OperatorRbac } from './manifests.ts';
import { freePort, requestToken, startOperatorProcess, writeTokenKubeconfig, type OperatorProcess } from './operators.ts';
import { formatUsage, usageOf } from './usage.ts';

const run = promisify(execFile);
const OPERATORS = ['couchdb', 'nats', 'openwhisk', 'main'] as const;
/** The sample (deletionPolicy Retain) and a copy that is torn down completely. */
const TENANTS = { acme: 'Retain', globex: 'Delete' } as const;

describe('rbac: tenant onboarding with each operator as its own ServiceAccount (least privilege)', function () {
  this.timeout(240_000);
  let work = '';
  let sim: ApiServer | undefined;
  let nats: NatsFixture | undefined;
  let rbac: RbacEnforcement;
  const installed: OperatorRbac[] = [];
  const processes: OperatorProcess[] = [];
  /** The first test ran to its end: the decision log covers a whole onboarding and teardown. */
  let completed = false;

  const kubectl = async (...args: string[]): Promise<string> =>
    (await run('kubectl', ['--kubeconfig', sim?.kubeconfigPath ?? '', '--cache-dir', join(work, 'kube-cache'), ...args], { cwd: repoRoot })).stdout;
  const tenant = (name: string): KubeObject | undefined => sim?.store.get({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'Tenant', name });
  const refusals = (): string => rbac.log.denied().map(describeDecision).join('\n');
  const outputs = (): string => processes.map((p) => `--- ${p.operator} (exit ${String(p.child.exitCode ?? p.child.signalCode ?? 'running')})\n${p.output().split('\n').slice(-15).join('\n')}`).join('\n');

  /** `verb group/resource/subresource (source) × count` of one identity, for NIMBUS_RBAC_DEBUG=1. */
  function decisionCounts(username: string): string {
    const seen = new Map<string, number>();
    for (const d of rbac.log.decisions(username)) {
      const key = `${d.allowed ? '' : 'DENIED '}${d.verb} ${d.group || 'core'}/${d.resource}${d.subresource ? `/${d.subresource}` : ''} (${d.source})`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    return [username, ...[...seen].sort().map(([k, n]) => `  ${k} × ${n}`)].join('\n');
  }

  /** Polls `probe`, but stops at the first refused request: a missing permission fails fast, naming itself. */
  async function until<T>(probe: () => T | undefined | false, message: string, timeoutMs = 90_000): Promise<T> {
    const result = await waitFor(() => (rbac.log.denied().length > 0 ? 'denied' as const : probe()), { timeoutMs, message: `${message}\n${outputs()}` });
    expect(refusals(), 'requests refused by RBAC').to.equal('');
    return result as T;
  }

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'nimbus-rbac-'));
    nats = await startNats();
    rbac = rbacEnforcement({ ownerReferencesPermissionEnforcement: process.env['NIMBUS_RBAC_OWNER_REFS'] === '1' });
    sim = await startApiServer({ ...rbac.serverOptions, crdDir: join(repoRoot, 'manifests', 'crds'), quiet: true });
    // Install what each kustomization grants its operator (namespace, ServiceAccount, Roles, bindings), as the admin.
    for (const operator of OPERATORS) installed.push(loadOperatorRbac(operator, process.env['NIMBUS_RBAC_MANIFESTS'] || undefined));
    const file = join(work, 'rbac.yaml');
    writeFileSync(file, installed.flatMap((i) => i.objects).map((o) => yaml.dump(o)).join('---\n'));
    await kubectl('apply', '-f', file);
    for (const { operator, serviceAccount: sa, username } of installed) {
      const token = await requestToken(sim.url, sa.namespace, sa.name);
      const kubeconfig = writeTokenKubeconfig(work, operator, sim.url, token);
      processes.push(startOperatorProcess(operator, await freePort(), {
        KUBECONFIG: kubeconfig, NATS_URL: nats.url, LEADER_ELECT: 'true', POD_NAMESPACE: sa.namespace,
        POD_NAME: `${sa.name}-0`, LOG_LEVEL: 'info', TENANT_REQUEUE_SECONDS: '5',
      }));
      expect(username).to.equal(`system:serviceaccount:nimbus-system:${sa.name}`);
    }
    for (const p of processes) {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${p.httpPort}/readyz`)).status === 200,
        { timeoutMs: 60_000, message: `${p.operator} /readyz\n${p.output()}` });
    }
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await sim?.stop();
    await nats?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('onboards the sample tenant to Ready 5/5, deletes it and stops, not one request refused', async () => {
    await kubectl('apply', '-f', 'manifests/samples/tenant.yaml');
    const sample = yaml.load(readFileSync(join(repoRoot, 'manifests', 'samples', 'tenant.yaml'), 'utf8')) as KubeObject;
    const copy = { ...sample, metadata: { name: 'globex' }, spec: { ...(sample['spec'] as object), deletionPolicy: TENANTS.globex } };
    writeFileSync(join(work, 'globex.yaml'), yaml.dump(copy));
    await kubectl('apply', '-f', join(work, 'globex.yaml'));
    expect((sample['spec'] as { deletionPolicy?: string }).deletionPolicy).to.equal(TENANTS.acme);

    for (const name of Object.keys(TENANTS)) {
      await until(() => {
        const s = (tenant(name)?.['status'] ?? {}) as { phase?: string; stepsSummary?: string };
        return s.phase === 'Ready' && s.stepsSummary === '5/5';
      }, `Tenant ${name} Ready 5/5`);
    }

    await kubectl('delete', 'tenant', 'acme', 'globex', '--wait=false');
    for (const name of Object.keys(TENANTS)) await until(() => tenant(name) === undefined, `Tenant ${name} gone`);
    await until(() => sim?.store.get({ apiVersion: 'v1', kind: 'Namespace', name: 'tenant-globex' }) === undefined, 'namespace tenant-globex gone');
    expect(sim?.store.get({ apiVersion: 'v1', kind: 'Namespace', name: 'tenant-acme' })?.metadata.deletionTimestamp, 'Retain keeps the namespace').to.equal(undefined);

    expect(refusals(), 'requests refused by RBAC').to.equal('');
    for (const { operator, username } of installed) {
      // Each operator really worked under its own identity (and took its Lease through the leader-election Role).
      expect(rbac.log.allowed(username).some((d) => d.verb === 'patch'), `${operator} wrote as ${username}`).to.equal(true);
      const p = processes.find((x) => x.operator === operator);
      expect(p?.child.exitCode, `${operator} still running\n${p?.output() ?? ''}`).to.equal(null);
      expect(p?.output() ?? '', `${operator} output`).to.not.match(/forbidden/i);
    }
    const holders = (): Array<string | null | undefined> => (sim?.store.list({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'nimbus-system' }).items ?? [])
      .map((l) => (l['spec'] as { holderIdentity?: string | null }).holderIdentity).sort();
    expect(holders()).to.deep.equal(installed.map((i) => `${i.serviceAccount.name}-0`).sort());

    // SIGTERM, as Kubernetes stops a pod: each exits 0 and releases its Lease (so a standby takes over at once).
    await Promise.all(processes.map((p) => p.stop()));
    for (const p of processes) expect({ code: p.child.exitCode, signal: p.child.signalCode }, `${p.operator} exit\n${p.output()}`).to.deep.equal({ code: 0, signal: null });
    expect(holders().filter((h) => h), 'Leases still held').to.deep.equal([]);
    expect(refusals(), 'requests refused by RBAC').to.equal('');
    completed = true;
  });

  it('uses every permission it is granted, or the rule says why (# rbac-unused-ok: <reason>)', function () {
    if (!completed) this.skip();
    const problems: string[] = [];
    const tables: string[] = [];
    for (const operatorRbac of installed) {
      const report = usageOf(operatorRbac, rbac.log.allowed(operatorRbac.username));
      tables.push(formatUsage(report), ...report.notes.map((n) => `note: ${n}`));
      problems.push(...report.problems);
    }
    if (process.env['NIMBUS_RBAC_DEBUG']) for (const i of installed) console.log(decisionCounts(i.username));
    console.log(`      granted vs used:\n${tables.join('\n').replace(/^/gm, '        ')}`);
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
