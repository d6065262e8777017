/**
 * Onboarding under disturbance (issue 7, "Must show"): the main operator restarted mid-onboarding, the nats-server
 * restarted mid-onboarding (nothing runs twice), a changed block applied to its child, and many tenants at once.
 */
import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import type { TenantStatus } from '#operators/main/types.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { childRef, startRig, statusOf, tenantRef, type Rig } from './harness.ts';

const manyTenants = Number(process.env['E2E_TENANTS'] ?? 50);

describe('tenant onboarding under disturbance (e2e)', function () {
  this.timeout(300_000);
  let rig: Rig;

  before(async () => {
    rig = await startRig();
    await rig.restartMain({ TENANT_REQUEUE_SECONDS: '60' });
  });
  after(async () => { await rig.stop(); });

  const tenantEvents = async (name: string, reason: string) => (await rig.kube.list({ apiVersion: 'v1', kind: 'Event', namespace: 'default' })).items
    .filter((e) => (e['involvedObject'] as { name?: string }).name === name && e['reason'] === reason);
  const uids = async (tenant: string) => Promise.all(['CouchDB', 'NatsCluster', 'OpenWhisk'].map(async (kind) => (await rig.kube.tryGet(childRef(kind, tenant)))?.metadata.uid));

  it('the main operator restarted mid-onboarding resumes and finishes, nothing duplicated', async () => {
    const { sim, kube } = rig;
    sim.kubelet?.holdUnready('tenant-restart', 'restart-couchdb');
    await kube.create({ ...tenantRef('restart'), metadata: { name: 'restart' }, spec: {} });
    const before = await waitFor(async () => {
      const s = statusOf(await kube.tryGet(tenantRef('restart'))) as TenantStatus;
      return s.steps?.find((x) => x.name === 'nats')?.state === 'Ready' ? s : undefined;
    }, { timeoutMs: 20_000, message: 'nats Ready while couchdb is held' });
    const couchdbUid = (await kube.get(childRef('CouchDB', 'restart'))).metadata.uid;
    await rig.stopMain();
    sim.kubelet?.release('tenant-restart', 'restart-couchdb');
    await waitFor(async () => statusOf(await kube.tryGet(childRef('CouchDB', 'restart')))['phase'] === 'Ready', { message: 'CouchDB Ready while main is down' });
    await rig.restartMain({ TENANT_REQUEUE_SECONDS: '60' });
    const after = await waitFor(() => rig.readyTenant('restart', '5/5'), { timeoutMs: 30_000, message: 'restart Ready' });
    expect((await kube.get(childRef('CouchDB', 'restart'))).metadata.uid).to.equal(couchdbUid);
    for (const name of ['namespace', 'couchdb', 'nats']) {
      expect(after.steps?.find((s) => s.name === name)?.startedAt, name).to.equal(before.steps?.find((s) => s.name === name)?.startedAt);
    }
    // Each step ran and finished once: one Ready Event each, and no step went back to Running (that would be an Event).
    expect(await tenantEvents('restart', 'CouchDBReady')).to.have.length(1);
    expect(await tenantEvents('restart', 'NatsReady')).to.have.length(1);
    expect(await tenantEvents('restart', 'CouchDBRunning')).to.have.length(0);
  });

  it('the nats-server restarted mid-onboarding: no step runs twice, the tenant reaches Ready', async () => {
    const { sim, kube, nats } = rig;
    sim.kubelet?.holdUnready('tenant-bounce', 'bounce-couchdb');
    await kube.create({ ...tenantRef('bounce'), metadata: { name: 'bounce' }, spec: {} });
    await waitFor(() => kube.tryGet(childRef('NatsCluster', 'bounce')), { message: 'bounce children' });
    const first = await uids('bounce');
    await nats.restart();
    sim.kubelet?.release('tenant-bounce', 'bounce-couchdb');
    await waitFor(() => rig.readyTenant('bounce', '5/5'), { timeoutMs: 30_000, message: 'bounce Ready' });
    const [couchdb, natsUid] = await uids('bounce');
    expect([couchdb, natsUid]).to.deep.equal(first.slice(0, 2));
    for (const reason of ['CouchDBReady', 'NatsReady', 'OpenWhiskReady', 'CredentialsReady', 'TenantReady']) {
      expect(await tenantEvents('bounce', reason), reason).to.have.length(1);
    }
    for (const reason of ['CouchDBRunning', 'OpenWhiskRunning']) expect(await tenantEvents('bounce', reason), reason).to.have.length(0);
  });

  it('a changed block is applied to the child: scaling CouchDB goes Provisioning → Ready again', async () => {
    const { sim, kube } = rig;
    // Hold the scaled StatefulSet unready, so the Provisioning state is observable whatever the machine's load.
    sim.kubelet?.holdUnready('tenant-bounce', 'bounce-couchdb');
    await kube.patch(tenantRef('bounce'), { spec: { couchdb: { replicas: 3 } } }, 'merge');
    const generation = (await kube.get(tenantRef('bounce'))).metadata.generation;
    await waitFor(async () => ((await kube.get(childRef('CouchDB', 'bounce')))['spec'] as { replicas?: number }).replicas === 3, { message: 'the child scaled' });
    await waitFor(async () => statusOf(await kube.get(tenantRef('bounce')))['phase'] === 'Provisioning', { timeoutMs: 30_000, message: 'bounce Provisioning while the scaled CouchDB is not ready' });
    sim.kubelet?.release('tenant-bounce', 'bounce-couchdb');
    const s = await waitFor(() => rig.readyTenant('bounce', '5/5'), { timeoutMs: 30_000, message: 'bounce Ready after scaling' });
    expect(s.observedGeneration).to.equal(generation);
    const sts: KubeObject = await kube.get({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'tenant-bounce', name: 'bounce-couchdb' });
    expect((sts['spec'] as { replicas: number }).replicas).to.equal(3);
    // Repeats of one Event are aggregated (count), as client-go's recorder does: count occurrences, not objects.
    const provisioning = await tenantEvents('bounce', 'TenantProvisioning');
    expect(provisioning.reduce((total, event) => total + Number(event['count'] ?? 1), 0)).to.be.at.least(2);
  });

  it(`${manyTenants} tenants applied at once all reach Ready`, async () => {
    const { kube } = rig;
    const names = Array.from({ length: manyTenants }, (_, i) => `many-${i}`);
    const startedMs = performance.now();
    await Promise.all(names.map((name) => kube.create({ ...tenantRef(name), metadata: { name }, spec: {} })));
    await waitFor(async () => {
      const ready = await Promise.all(names.map((name) => rig.readyTenant(name, '5/5')));
      return ready.every(Boolean);
    }, { timeoutMs: 240_000, intervalMs: 500, message: `${manyTenants} tenants Ready` });
    console.log(`      figure: ${manyTenants} tenants applied at once, all Ready in ${((performance.now() - startedMs) / 1000).toFixed(1)} s`);
  });
});
