/**
 * Tenant onboarding end to end, in one process: the four operators (each started as its `main.ts` would start it,
 * with its own client and bus), the embedded API server with its kubelet, a real nats-server, and the real kubectl.
 * Figures (step latency, onboarding times) are printed, not asserted beyond "did not wait for the timer".
 */
import { expect } from 'chai';
import type { ApiServer } from '#sim/index.ts';
import type { ClosableKubeClient } from '#shared/kube/client.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import { createBus } from '#shared/bus/nats.ts';
import type { Bus, NimbusEvent } from '#shared/bus/types.ts';
import { silentLogger } from '#shared/observability/logger.ts';
import type { RunningOperator } from '#shared/operator/types.ts';
import { startMainOperator } from '#operators/main/main.ts';
import type { MainControllerOptions } from '#operators/main/controller.ts';
import { envKeys } from '#operators/main/credentials.ts';
import type { StepStatus, TenantStatus } from '#operators/main/types.ts';
import type { NatsFixture } from '../fixtures/nats.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { startOperatorRig, type OperatorRig } from '../helpers/operator-sim.ts';
import { refusal } from '../helpers/refusal.ts';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.ts';

const group = 'nimbus.dev/v1alpha1';
const tenantRef = (name: string) => ({ apiVersion: group, kind: 'Tenant', name });
const childRef = (kind: string, tenant: string) => ({ apiVersion: group, kind, namespace: `tenant-${tenant}`, name: tenant });
const secretRef = (namespace: string, name: string) => ({ apiVersion: 'v1', kind: 'Secret', namespace, name });
const nsRef = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', name });

function status(object: KubeObject | undefined): Record<string, unknown> {
  return (object?.['status'] ?? {}) as Record<string, unknown>;
}
function decode(secret: KubeObject): Record<string, string> {
  const data = (secret['data'] ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}
function step(tenantStatus: TenantStatus, name: string): StepStatus {
  const found = tenantStatus.steps?.find((s) => s.name === name);
  if (!found) throw new Error(`no step ${name}`);
  return found;
}
const ms = (iso: string | undefined): number => Date.parse(iso ?? '');

describe('main operator: tenant onboarding end to end (4 operators + sim + nats-server + kubectl)', function () {
  this.timeout(120_000);
  let rig: OperatorRig;
  let sim: ApiServer;
  let nats: NatsFixture;
  let kube: ClosableKubeClient;
  let listener: Bus;
  let main: RunningOperator | undefined;
  let cli: Kubectl;
  const events: NimbusEvent[] = [];
  const wakes: Array<{ atMs: number; tenant: string; event: NimbusEvent }> = [];

  async function restartMain(extraEnv: Record<string, string>, extra: MainControllerOptions = {}): Promise<void> {
    await main?.stop();
    main = await rig.run((options) => startMainOperator(options, {
      ...extra, onWake: (tenant, event) => wakes.push({ atMs: performance.now(), tenant, event }),
    }), extraEnv);
  }
  const kubectl = (args: string[]): Promise<string> => cli.ok(args);
  const tenantStatusOf = async (name: string) => status(await kube.tryGet(tenantRef(name))) as TenantStatus;
  const readyTenant = async (name: string, summary: string) => {
    const tenant = await kube.tryGet(tenantRef(name));
    const s = status(tenant) as TenantStatus;
    return s.phase === 'Ready' && s.stepsSummary === summary && s.observedGeneration === tenant?.metadata.generation ? s : undefined;
  };
  const tenantEvents = async (name: string) => (await kube.list({ apiVersion: 'v1', kind: 'Event', namespace: 'default' })).items
    .filter((e) => (e['involvedObject'] as { kind?: string; name?: string }).kind === 'Tenant' && (e['involvedObject'] as { name?: string }).name === name);

  before(async () => {
    rig = await startOperatorRig('all', { kubeletDelayMs: 0, fieldManager: 'main-e2e', env: { RESYNC_SECONDS: '0' } });
    ({ sim, nats, kube } = rig);
    cli = kubectlFor(sim.kubeconfigPath);
    listener = await createBus({ url: nats.url, name: 'main-e2e', log: silentLogger() });
    await listener.subscribe('main-e2e', 'nimbus.events.>', (event) => { events.push(event); });
    await rig.runComponents();
    await restartMain({ TENANT_REQUEUE_SECONDS: '60' });
  });
  after(async () => {
    await main?.stop();
    await listener.close();
    await rig.stop();
    cli.close();
  });

  it('refuses an invalid Tenant with a message naming the field', async () => {
    const tenant = (name: string, spec: unknown) => ({ ...tenantRef(name), metadata: { name }, spec });
    expect(await refusal(kube.create(tenant('bad-policy', { deletionPolicy: 'Maybe' })))).to.contain('spec.deletionPolicy');
    expect(await refusal(kube.create(tenant('no-db', { couchdb: { enabled: false } })))).to.contain('spec.openwhisk needs a CouchDB');
  });

  it('onboards the sample tenant: namespace, couchdb ∥ nats, openwhisk after couchdb, credentials, Ready 5/5', async () => {
    const kubelet = sim.kubelet;
    if (!kubelet) throw new Error('the sim runs without its kubelet');
    // Hold both databases unready: both children must exist before either is Ready.
    kubelet.holdUnready('tenant-acme', 'acme-couchdb');
    kubelet.holdUnready('tenant-acme', 'acme-nats');
    const startedMs = performance.now();
    await kubectl(['apply', '-f', 'manifests/samples/tenant.yaml']);

    const namespace = await waitFor(() => kube.tryGet(nsRef('tenant-acme')), { message: 'the tenant namespace' });
    expect(namespace.metadata.labels).to.include({ 'nimbus.dev/tenant': 'acme' });
    expect(namespace.metadata.ownerReferences?.[0]).to.include({ kind: 'Tenant', name: 'acme' });
    const quota = await kube.get({ apiVersion: 'v1', kind: 'ResourceQuota', namespace: 'tenant-acme', name: 'acme-quota' });
    expect((quota['spec'] as { hard: Record<string, string> }).hard).to.include({ cpu: '8', pods: '50' });
    await kube.get({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace: 'tenant-acme', name: 'acme-isolation' });

    const [couchdb, natsCluster] = await waitFor(async () => {
      const pair = await Promise.all([kube.tryGet(childRef('CouchDB', 'acme')), kube.tryGet(childRef('NatsCluster', 'acme'))]);
      return pair[0] && pair[1] ? pair : undefined;
    }, { message: 'the CouchDB and NatsCluster children' });
    expect(status(couchdb)['phase']).to.not.equal('Ready');
    expect(status(natsCluster)['phase']).to.not.equal('Ready');
    expect(couchdb?.metadata.labels).to.include({ 'nimbus.dev/tenant': 'acme' });
    expect((couchdb?.['spec'] as { databases: string[] }).databases).to.deep.equal(['orders', 'invoices']);
    expect(await kube.tryGet(childRef('OpenWhisk', 'acme')), 'OpenWhisk before CouchDB is Ready').to.equal(undefined);

    // CouchDB alone becomes Ready: OpenWhisk starts without waiting for NATS (it does not depend on it).
    kubelet.release('tenant-acme', 'acme-couchdb');
    await waitFor(() => kube.tryGet(childRef('OpenWhisk', 'acme')), { timeoutMs: 15_000, message: 'the OpenWhisk child' });
    expect(status(await kube.get(childRef('CouchDB', 'acme')))['phase']).to.equal('Ready');
    expect(status(await kube.get(childRef('NatsCluster', 'acme')))['phase']).to.not.equal('Ready');
    kubelet.release('tenant-acme', 'acme-nats');

    const final = await waitFor(() => readyTenant('acme', '5/5'), { timeoutMs: 30_000, message: 'Tenant acme Ready 5/5' });
    const totalMs = performance.now() - startedMs;
    expect(final.credentialsSecret).to.equal('acme-env');
    for (const s of final.steps ?? []) expect(s, s.name).to.include({ state: 'Ready' }).and.to.have.keys('name', 'state', 'startedAt', 'readyAt', 'message');
    // The order of the step start times respects the graph; couchdb and nats overlap.
    const [ns, cdb, nc, ow, cred] = ['namespace', 'couchdb', 'nats', 'openwhisk', 'credentials'].map((n) => step(final, n));
    expect(ms(cdb?.startedAt)).to.be.at.least(ms(ns?.readyAt));
    expect(ms(nc?.startedAt)).to.be.at.least(ms(ns?.readyAt));
    expect(ms(ow?.startedAt)).to.be.at.least(ms(cdb?.readyAt));
    expect(ms(cred?.startedAt)).to.be.at.least(Math.max(ms(ow?.readyAt), ms(nc?.readyAt)));
    expect(ms(cdb?.startedAt)).to.be.at.most(ms(nc?.readyAt));
    expect(ms(nc?.startedAt)).to.be.at.most(ms(cdb?.readyAt));
    expect(final.endpoints).to.have.keys('couchdb', 'nats', 'openwhisk');

    // The env Secret holds the children's values.
    const envValues = decode(await kube.get(secretRef('tenant-acme', 'acme-env')));
    expect(Object.keys(envValues).sort()).to.deep.equal([...envKeys].sort());
    const cdbStatus = status(await kube.get(childRef('CouchDB', 'acme')));
    const ncStatus = status(await kube.get(childRef('NatsCluster', 'acme')));
    const owStatus = status(await kube.get(childRef('OpenWhisk', 'acme')));
    const cdbSecret = decode(await kube.get(secretRef('tenant-acme', String(cdbStatus['secretName']))));
    const ncSecret = decode(await kube.get(secretRef('tenant-acme', String(ncStatus['secretName']))));
    const owSecret = decode(await kube.get(secretRef('tenant-acme', (owStatus['authSecrets'] as Record<string, string>)['acme'] ?? '')));
    expect(envValues).to.deep.equal({
      COUCHDB_URL: cdbStatus['endpoint'], COUCHDB_USER: cdbSecret['username'], COUCHDB_PASSWORD: cdbSecret['password'],
      NATS_URL: ncStatus['url'], NATS_USER: ncSecret['username'], NATS_PASSWORD: ncSecret['password'],
      OW_APIHOST: owStatus['apiHost'], OW_AUTH: owSecret['auth'],
    });

    const table = await kubectl(['get', 'tenants']);
    expect(table).to.match(/NAME\s+PHASE\s+STEPS\s+NAMESPACE\s+AGE/);
    expect(table).to.match(/acme\s+Ready\s+5\/5\s+tenant-acme/);
    const reasons = (await tenantEvents('acme')).map((e) => e['reason']);
    expect(reasons).to.include.members(['NamespaceReady', 'CouchDBReady', 'NatsReady', 'OpenWhiskReady', 'CredentialsReady', 'TenantReady']);
    expect(reasons, 'a step starting is no Event').to.not.include('CouchDBRunning');
    await waitFor(() => events.some((e) => e.type === 'dev.nimbus.tenant.ready' && e.subject === '_/acme'), { message: 'the tenant ready event' });
    console.log(`      figure: sample tenant onboarded in ${totalMs.toFixed(0)} ms (two holds included)`);
  });

  it('a failing child makes the tenant Failed naming the step and the reason; fixing it recovers', async () => {
    sim.kubelet?.failJob('tenant-beta', 'beta-couchdb-init', 'database setup exploded');
    await kube.create({ ...tenantRef('beta'), metadata: { name: 'beta' }, spec: { deletionPolicy: 'Delete' } });
    const failed = await waitFor(async () => {
      const s = await tenantStatusOf('beta');
      return s.phase === 'Failed' ? s : undefined;
    }, { timeoutMs: 20_000, message: 'Tenant beta Failed' });
    const ready = failed.conditions?.find((c) => c.type === 'Ready');
    expect(ready).to.include({ status: 'False', reason: 'CouchDBFailed' });
    expect(ready?.message).to.contain('step couchdb').and.to.contain('InitJobFailed').and.to.contain('database setup exploded');
    expect(step(failed, 'couchdb').state).to.equal('Failed');
    // The fix: a spec change (a new init Job) once the cause is gone.
    sim.kubelet?.clearJobFailures();
    await kube.patch(tenantRef('beta'), { spec: { couchdb: { databases: ['fixed'] } } }, 'merge');
    await waitFor(() => readyTenant('beta', '5/5'), { timeoutMs: 30_000, message: 'Tenant beta recovered' });
    expect((await kube.get(childRef('CouchDB', 'beta')))['spec']).to.deep.include({ databases: ['fixed'] });
    const reasons = (await tenantEvents('beta')).map((e) => e['reason']);
    expect(reasons).to.include.members(['CouchDBFailed', 'TenantFailed', 'TenantReady']);
  });

  it('disabling openwhisk deletes the OpenWhisk child, says so, and drops its keys from the env Secret', async () => {
    await kube.patch(tenantRef('acme'), { spec: { openwhisk: { enabled: false } } }, 'merge');
    await waitFor(async () => (await kube.tryGet(childRef('OpenWhisk', 'acme'))) === undefined, { timeoutMs: 15_000, message: 'OpenWhisk gone' });
    const s = await waitFor(() => readyTenant('acme', '4/4'), { timeoutMs: 15_000, message: 'Tenant acme Ready 4/4' });
    expect(step(s, 'openwhisk')).to.include({ state: 'Skipped' });
    const disabled = s.conditions?.find((c) => c.type === 'ComponentsDisabled');
    expect(disabled).to.include({ status: 'True', reason: 'BlockDisabled' });
    expect(disabled?.message).to.contain('openwhisk: disabled (spec.openwhisk.enabled is false)');
    const envValues = decode(await kube.get(secretRef('tenant-acme', 'acme-env')));
    expect(Object.keys(envValues).sort()).to.deep.equal(['COUCHDB_PASSWORD', 'COUCHDB_URL', 'COUCHDB_USER', 'NATS_PASSWORD', 'NATS_URL', 'NATS_USER']);
  });

  it('starts the next step on the completion event, without waiting for the 60 s timer', async () => {
    // No child watches: only a NATS event (or the 60 s timer) can wake the tenant when CouchDB becomes Ready.
    await restartMain({ TENANT_REQUEUE_SECONDS: '60' }, { childWatches: false });
    sim.kubelet?.holdUnready('tenant-delta', 'delta-couchdb');
    const startedMs = performance.now();
    await kube.create({ ...tenantRef('delta'), metadata: { name: 'delta' }, spec: {} });
    await waitFor(() => kube.tryGet(childRef('CouchDB', 'delta')), { message: 'the delta CouchDB' });
    sim.kubelet?.release('tenant-delta', 'delta-couchdb');
    await waitFor(() => kube.tryGet(childRef('OpenWhisk', 'delta')), { timeoutMs: 20_000, intervalMs: 1, message: 'the delta OpenWhisk' });
    const createdMs = performance.now();
    const wake = wakes.find((w) => w.tenant === 'delta' && w.event.type === 'dev.nimbus.couchdb.ready');
    expect(wake, 'the couchdb ready event woke the tenant').to.not.equal(undefined);
    const latencyMs = createdMs - (wake?.atMs ?? 0);
    expect(latencyMs).to.be.below(1000);
    await waitFor(() => readyTenant('delta', '5/5'), { timeoutMs: 20_000, message: 'Tenant delta Ready on events alone' });
    console.log(`      figure: couchdb ready event → OpenWhisk child created: ${latencyMs.toFixed(1)} ms (poll resolution ~1 ms); ` +
      `tenant Ready on events alone in ${(performance.now() - startedMs).toFixed(0)} ms (timer 60 s)`);
  });

  it('still reaches Ready with the nats-server down for the whole run (timer only)', async () => {
    await nats.halt();
    await restartMain({ TENANT_REQUEUE_SECONDS: '1' }, { childWatches: false });
    const startedMs = performance.now();
    await kube.create({ ...tenantRef('gamma'), metadata: { name: 'gamma' }, spec: { deletionPolicy: 'Delete' } });
    await waitFor(() => readyTenant('gamma', '5/5'), { timeoutMs: 40_000, message: 'Tenant gamma Ready without NATS' });
    expect(nats.running()).to.equal(false);
    console.log(`      figure: tenant Ready with NATS down (1 s timer) in ${(performance.now() - startedMs).toFixed(0)} ms`);
    await nats.start();
    await restartMain({ TENANT_REQUEUE_SECONDS: '60' });
  });

  it('delete (Delete policy) tears down in reverse order, then the namespace and the Tenant', async () => {
    const gone: Record<string, number> = {};
    const watched: Record<string, { apiVersion: string; kind: string; name: string; namespace?: string }> = {
      env: secretRef('tenant-beta', 'beta-env'), openwhisk: childRef('OpenWhisk', 'beta'), couchdb: childRef('CouchDB', 'beta'),
      nats: childRef('NatsCluster', 'beta'), namespace: nsRef('tenant-beta'), tenant: tenantRef('beta'),
    };
    await kube.delete(tenantRef('beta'));
    await waitFor(async () => {
      await Promise.all(Object.entries(watched).map(async ([what, ref]) => {
        if (gone[what] === undefined && (await kube.tryGet(ref)) === undefined) gone[what] = performance.now();
      }));
      return Object.keys(gone).length === Object.keys(watched).length;
    }, { timeoutMs: 30_000, intervalMs: 10, message: 'beta torn down' });
    const at = (what: string): number => gone[what] ?? Number.NaN;
    expect(at('env')).to.be.at.most(at('openwhisk'));
    expect(at('openwhisk')).to.be.at.most(at('couchdb'));
    expect(Math.max(at('couchdb'), at('nats'))).to.be.at.most(at('namespace'));
    expect(at('namespace')).to.be.at.most(at('tenant'));
    await waitFor(() => events.some((e) => e.type === 'dev.nimbus.tenant.deleted' && e.subject === '_/beta'), { message: 'the tenant deleted event' });
  });

  it('delete (Retain policy) keeps the namespace and its volumes, says which, and removes the Tenant', async () => {
    await kube.delete(tenantRef('acme'));
    await waitFor(async () => (await kube.tryGet(tenantRef('acme'))) === undefined, { timeoutMs: 30_000, message: 'Tenant acme gone' });
    const namespace = await kube.get(nsRef('tenant-acme'));
    expect(namespace.metadata.deletionTimestamp).to.equal(undefined);
    expect(namespace.metadata.labels).to.include({ 'nimbus.dev/retained': 'true' });
    expect(namespace.metadata.ownerReferences ?? []).to.deep.equal([]);
    expect(await kube.tryGet(childRef('CouchDB', 'acme'))).to.equal(undefined);
    expect(await kube.tryGet(childRef('NatsCluster', 'acme'))).to.equal(undefined);
    const claims = (await kube.list({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'tenant-acme' })).items.map((c) => c.metadata.name);
    expect(claims).to.include('data-acme-nats-0');
    expect(claims.some((c) => c?.includes('couchdb'))).to.equal(true);
    const retained = (await tenantEvents('acme')).find((e) => e['reason'] === 'VolumesRetained');
    expect(String(retained?.['message'])).to.contain('data-acme-nats-0');
  });
});
