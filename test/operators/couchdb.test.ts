/**
 * The CouchDB operator end to end, in process: the real client-node against the embedded API server with its
 * simulated kubelet, a real nats-server, the operator started by `runOperator` exactly as `main.ts` does (issue 4's
 * "Must show" list).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { silentLogger } from '#shared/observability/logger.ts';
import type { RunningOperator } from '#shared/operator/index.ts';
import { startCouchDBOperator } from '#operators/couchdb/main.ts';
import type { CouchDB } from '#operators/couchdb/types.ts';
import { freePort } from '../fixtures/nats.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { recordEvents, type EventRecorder } from '../helpers/event-recorder.ts';
import { startOperatorRig, startOperatorSim, type OperatorRig, type OperatorSim } from '../helpers/operator-sim.ts';
import { refusal } from '../helpers/refusal.ts';

const ns = 'default';
const cdbRef = (name: string) => ({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', namespace: ns, name });
const cdb = (name: string, spec: Record<string, unknown>, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', metadata: { name, namespace: ns, ...(labels ? { labels } : {}) }, spec,
});
const decode = (secret: KubeObject, key: string): string =>
  Buffer.from(String((secret['data'] as Record<string, string>)[key] ?? ''), 'base64').toString('utf8');

describe('CouchDB operator (sim + kubelet + nats-server)', function () {
  this.timeout(30_000);
  let env: OperatorRig;
  let recorder: EventRecorder;
  let operator: RunningOperator;

  const start = (): Promise<RunningOperator> => env.run(startCouchDBOperator);
  const get = (name: string) => env.kube.get<CouchDB>(cdbRef(name));
  const phaseOf = async (name: string) => (await get(name)).status?.phase;
  const untilPhase = (name: string, phase: string, timeoutMs = 10_000) =>
    waitFor(async () => { const cr = await get(name); return cr.status?.phase === phase && cr; }, { timeoutMs, message: `CouchDB ${name} ${phase}` });
  const eventsOf = async (name: string) => (await env.kube.list({ apiVersion: 'v1', kind: 'Event', namespace: ns })).items
    .filter((e) => (e['involvedObject'] as { name?: string }).name === name);

  before(async () => {
    env = await startOperatorRig(['couchdb.yaml']);
    recorder = await recordEvents(env.nats.url);
    operator = await start();
  });
  after(async () => {
    await operator.stop();
    await recorder.stop();
    await env.stop();
  });

  it('serves /readyz and /metrics once synced', async () => {
    const base = `http://127.0.0.1:${operator.healthPort}`;
    expect((await fetch(`${base}/readyz`)).status).to.equal(200);
    expect(operator.ready()).to.equal(true);
    expect(await (await fetch(`${base}/metrics`)).text()).to.contain('workqueue_depth');
  });

  it('creates the children, reaches Ready with endpoint and secret, and publishes one ready event', async () => {
    const created = await env.kube.create(cdb('alpha', { databases: ['orders'] }, { 'nimbus.dev/tenant': 'acme' }));
    const ready = await untilPhase('alpha', 'Ready');
    expect(ready.status).to.deep.include({ endpoint: 'http://alpha-couchdb.default.svc:5984', secretName: 'alpha-couchdb-admin', observedGeneration: 1 });
    expect(ready.status?.conditions?.find((c) => c.type === 'Ready')).to.include({ status: 'True', reason: 'Ready' });
    expect(ready.metadata.finalizers).to.include('nimbus.dev/couchdb');

    const children: Array<[string, string, string]> = [
      ['v1', 'Secret', 'alpha-couchdb-admin'], ['v1', 'Secret', 'alpha-couchdb-cluster'], ['v1', 'ConfigMap', 'alpha-couchdb-config'],
      ['v1', 'Service', 'alpha-couchdb'], ['v1', 'Service', 'alpha-couchdb-headless'], ['apps/v1', 'StatefulSet', 'alpha-couchdb'],
    ];
    for (const [apiVersion, kind, name] of children) {
      const child = await env.kube.get({ apiVersion, kind, namespace: ns, name });
      expect(child.metadata.ownerReferences?.[0], `${kind} ${name}`).to.include({ kind: 'CouchDB', name: 'alpha', uid: created.metadata.uid, controller: true });
      expect(child.metadata.labels).to.include({ 'app.kubernetes.io/managed-by': 'nimbus-couchdb', 'nimbus.dev/tenant': 'acme' });
    }
    const jobs = (await env.kube.list({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns })).items.filter((j) => j.metadata.name?.startsWith('alpha-couchdb-init-'));
    expect(jobs).to.have.length(1);
    expect(decode(await env.kube.get({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name: 'alpha-couchdb-admin' }), 'password')).to.have.length.greaterThan(20);

    const [event] = await waitFor(() => { const e = recorder.about('couchdb', 'default/alpha', 'ready'); return e.length > 0 && e; }, { message: 'ready event' });
    expect(event).to.include({ specversion: '1.0', source: '/operators/couchdb', type: 'dev.nimbus.couchdb.ready', subject: 'default/alpha' });
    expect(event?.data).to.deep.include({ generation: 1, observedGeneration: 1, tenant: 'acme', reason: 'Ready' });
    expect(event?.data.ref).to.deep.equal({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', namespace: ns, name: 'alpha', uid: created.metadata.uid });
    expect(event?.data.outputs).to.deep.equal({ endpoint: 'http://alpha-couchdb.default.svc:5984', secretName: 'alpha-couchdb-admin' });
    // A later event of the same operator is a barrier: anything published for alpha before it has been delivered.
    await env.kube.create(cdb('barrier', {}));
    await waitFor(() => recorder.about('couchdb', 'default/barrier', 'ready').length > 0, { message: 'barrier ready event' });
    expect(recorder.about('couchdb', 'default/alpha', 'ready')).to.have.length(1);
    expect(recorder.about('couchdb', 'default/alpha').map((e) => e.type)).to.not.include('dev.nimbus.couchdb.failed');
  });

  it('keeps the admin password across an operator restart and a spec change (a new init Job runs, the old one goes)', async () => {
    const secretRef = { apiVersion: 'v1', kind: 'Secret', namespace: ns, name: 'alpha-couchdb-admin' };
    const before = decode(await env.kube.get(secretRef), 'password');
    const firstJob = (await env.kube.list({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns })).items.find((j) => j.metadata.name?.startsWith('alpha-couchdb-init-'));
    await operator.stop();
    operator = await start();
    await env.kube.patch(cdbRef('alpha'), { spec: { databases: ['orders', 'invoices'] } }, 'merge');
    await waitFor(async () => { const cr = await get('alpha'); return cr.status?.observedGeneration === 2 && cr.status.phase === 'Ready'; }, { message: 'alpha Ready at generation 2' });
    expect(decode(await env.kube.get(secretRef), 'password')).to.equal(before);
    await waitFor(async () => {
      const jobs = (await env.kube.list({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns })).items.filter((j) => j.metadata.name?.startsWith('alpha-couchdb-init-'));
      return jobs.length === 1 && jobs[0]?.metadata.name !== firstJob?.metadata.name;
    }, { message: 'only the new init Job left' });
    await waitFor(() => recorder.about('couchdb', 'default/alpha', 'ready').some((e) => e.data.generation === 2), { message: 'ready event of generation 2' });
  });

  it('uses a user-supplied admin Secret as is', async () => {
    await env.kube.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'beta-admin', namespace: ns }, stringData: { username: 'boss', password: 'hunter2-hunter2' } });
    await env.kube.create(cdb('beta', { adminSecretRef: { name: 'beta-admin' }, storage: { retainOnDelete: true } }));
    const ready = await untilPhase('beta', 'Ready');
    expect(ready.status?.secretName).to.equal('beta-admin');
    const secret = await env.kube.get({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name: 'beta-admin' });
    expect([decode(secret, 'username'), decode(secret, 'password')]).to.deep.equal(['boss', 'hunter2-hunter2']);
    expect(secret.metadata.ownerReferences ?? []).to.have.length(0);
    expect(await env.kube.tryGet({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name: 'beta-couchdb-admin' })).to.equal(undefined);
    const sts = await env.kube.get({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: ns, name: 'beta-couchdb' });
    expect(JSON.stringify(sts['spec'])).to.contain('"name":"beta-admin"');
  });

  it("reports a failing init Job as Failed/InitJobFailed with the Job's message, an Event and a failed event; fixing the spec recovers", async () => {
    env.sim.kubelet?.failJob(ns, 'gamma-couchdb-init', 'database creation refused');
    await env.kube.create(cdb('gamma', { databases: ['x'] }));
    const failed = await untilPhase('gamma', 'Failed');
    const ready = failed.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).to.include({ status: 'False', reason: 'InitJobFailed' });
    expect(ready?.message).to.contain('database creation refused');
    const warning = await waitFor(async () => (await eventsOf('gamma')).find((e) => e['reason'] === 'InitJobFailed'), { message: 'InitJobFailed Event' });
    expect(warning).to.include({ type: 'Warning' });
    expect(String(warning['message'])).to.contain('database creation refused');
    const [natsFailed] = await waitFor(() => { const e = recorder.about('couchdb', 'default/gamma', 'failed'); return e.length > 0 && e; }, { message: 'failed event' });
    expect(natsFailed?.data).to.include({ reason: 'InitJobFailed' });
    expect(natsFailed?.data.message).to.contain('database creation refused');

    env.sim.kubelet?.clearJobFailures();
    await env.kube.patch(cdbRef('gamma'), { spec: { databases: ['y'] } }, 'merge');
    await untilPhase('gamma', 'Ready');
    await waitFor(() => recorder.about('couchdb', 'default/gamma', 'ready').length === 1, { message: 'ready event after recovery' });
  });

  it('refuses invalid specs in the CRD with a message naming the field', async () => {
    expect(await refusal(env.kube.create(cdb('two', { replicas: 2 })))).to.contain('spec.replicas');
    expect(await refusal(env.kube.create(cdb('neg', { storage: { size: '-1Gi' } })))).to.contain('spec.storage.size');
    expect(await refusal(env.kube.create(cdb('img', { image: 'Not An Image!' })))).to.contain('spec.image');
    // An unknown field is pruned (the API server's default field validation) or refused naming it; never stored.
    let unknown: KubeObject | undefined;
    try {
      unknown = await env.kube.create(cdb('unknown', { bogus: true }));
    } catch (error) {
      expect((error as Error).message).to.contain('bogus');
    }
    if (unknown) expect(unknown['spec']).to.not.have.property('bogus');
  });

  it('turns a semantic error (adminSecretRef to a missing Secret) into a condition and an Event, and recovers once it exists', async () => {
    await env.kube.create(cdb('delta', { adminSecretRef: { name: 'delta-admin' } }));
    const pending = await waitFor(async () => {
      const cr = await get('delta');
      return cr.status?.conditions?.find((c) => c.type === 'Ready' && c.reason === 'AdminSecretNotFound') && cr;
    }, { message: 'AdminSecretNotFound condition' });
    expect(pending.status?.conditions?.find((c) => c.type === 'Ready')?.message).to.contain('spec.adminSecretRef.name');
    await waitFor(async () => (await eventsOf('delta')).some((e) => e['reason'] === 'AdminSecretNotFound'), { message: 'AdminSecretNotFound Event' });
    // The Secret watch wakes the CouchDB at once (the recheck timer is 15 s; this waits at most 8 s).
    await env.kube.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'delta-admin', namespace: ns }, stringData: { username: 'admin', password: 'long-enough-pass' } });
    await untilPhase('delta', 'Ready', 8_000);
  });

  it('deletes: finalizer runs, PVCs go (or stay with retainOnDelete), a deleted event, the object is gone', async () => {
    const pvc = (name: string) => env.kube.tryGet({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name });
    await waitFor(async () => (await pvc('data-alpha-couchdb-0')) && (await pvc('data-beta-couchdb-0')), { message: 'PVCs exist' });
    await env.kube.delete(cdbRef('alpha'));
    await env.kube.delete(cdbRef('beta'));
    await waitFor(async () => (await env.kube.tryGet(cdbRef('alpha'))) === undefined && (await env.kube.tryGet(cdbRef('beta'))) === undefined, { message: 'CouchDBs gone' });
    await waitFor(async () => (await pvc('data-alpha-couchdb-0')) === undefined, { message: 'alpha PVC deleted' });
    expect(await pvc('data-beta-couchdb-0')).to.not.equal(undefined);
    await waitFor(() => recorder.about('couchdb', 'default/alpha', 'deleted').length === 1 && recorder.about('couchdb', 'default/beta', 'deleted').length === 1, { message: 'deleted events' });
    await waitFor(async () => (await env.kube.tryGet({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: ns, name: 'alpha-couchdb' })) === undefined, { message: 'children collected' });
    expect(await phaseOf('gamma')).to.equal('Ready');
  });
});

describe('CouchDB operator without NATS_URL, with leader election', function () {
  this.timeout(30_000);
  let env: OperatorSim;
  let operator: RunningOperator;

  before(async () => {
    env = await startOperatorSim(['couchdb.yaml']);
    await env.kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'nimbus-system' } });
    operator = await startCouchDBOperator({
      env: { KUBECONFIG: env.sim.kubeconfigPath, HTTP_PORT: '0', LEADER_ELECT: 'true', POD_NAMESPACE: 'nimbus-system', POD_NAME: 'couchdb-op-1' },
      handleSignals: false, log: silentLogger(),
    });
  });
  after(async () => {
    await operator.stop();
    await env.stop();
  });

  it('runs with events off, holds the Lease and still reaches Ready', async () => {
    expect(operator.deps.bus.enabled).to.equal(false);
    const lease = await waitFor(() => env.kube.tryGet({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'nimbus-system', name: 'nimbus-couchdb' }), { message: 'Lease' });
    expect((lease['spec'] as { holderIdentity?: string }).holderIdentity).to.equal('couchdb-op-1');
    await env.kube.create(cdb('solo', {}));
    await waitFor(async () => (await env.kube.get<CouchDB>(cdbRef('solo'))).status?.phase === 'Ready', { message: 'solo Ready' });
  });
});

describe('CouchDB operator process (operators/couchdb/main.ts)', function () {
  this.timeout(60_000);
  let env: OperatorSim;
  before(async () => { env = await startOperatorSim(['couchdb.yaml']); });
  after(async () => { await env.stop(); });

  const mainTs = fileURLToPath(new URL('../../operators/couchdb/main.ts', import.meta.url));
  const run = (environment: Record<string, string>) => {
    const child = spawn(process.execPath, ['--import', 'tsx', mainTs], { env: { ...process.env, ...environment, NATS_URL: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, stderr: () => stderr };
  };

  it('exits 2 with one line naming the variable on a bad configuration', async () => {
    const proc = run({ KUBECONFIG: env.sim.kubeconfigPath, CONCURRENCY: 'lots' });
    expect(await proc.exited).to.equal(2);
    expect(proc.stderr().trim().split('\n')).to.have.length(1);
    expect(proc.stderr()).to.contain('CONCURRENCY');
  });

  it('becomes ready, reconciles, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const proc = run({ KUBECONFIG: env.sim.kubeconfigPath, HTTP_PORT: String(port), LOG_LEVEL: 'warn' });
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, { timeoutMs: 30_000, message: 'readyz' });
      await env.kube.create(cdb('proc', {}));
      await waitFor(async () => (await env.kube.get<CouchDB>(cdbRef('proc'))).status?.phase === 'Ready', { message: 'proc Ready' });
      proc.child.kill('SIGTERM');
      expect(await proc.exited).to.equal(0);
    } finally {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    }
  });
});
