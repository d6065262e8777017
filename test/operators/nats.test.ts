/**
 * The NATS operator as a process would run it (`startNatsOperator`, the same code as `main.ts`) against the embedded
 * API server with its kubelet and a real nats-server carrying the completion events.
 */
import { expect } from 'chai';
import type { ClosableKubeClient } from '#shared/kube/client.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import { createBus } from '#shared/bus/nats.ts';
import type { Bus, NimbusEvent } from '#shared/bus/types.ts';
import { silentLogger } from '#shared/observability/logger.ts';
import type { RunningOperator } from '#shared/operator/types.ts';
import { startNatsOperator } from '#operators/nats/main.ts';
import { configHashAnnotation } from '#operators/nats/desired.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { startOperatorRig, type OperatorRig } from '../helpers/operator-sim.ts';
import { refusal } from '../helpers/refusal.ts';

const ns = 'nats-it';
const nc = (name: string, namespace = ns) => ({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'NatsCluster', name, namespace });
const secretRef = (name: string, namespace = ns) => ({ apiVersion: 'v1', kind: 'Secret', name, namespace });
const stsRef = (name: string) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: `${name}-nats`, namespace: ns });
const cmRef = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: `${name}-nats-config`, namespace: ns });
const pvcRef = (name: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: `data-${name}-nats-0`, namespace: ns });

function statusOf(object: KubeObject | undefined): Record<string, unknown> {
  return (object?.['status'] ?? {}) as Record<string, unknown>;
}

describe('nats operator (sim + kubelet + real nats-server)', function () {
  this.timeout(60_000);
  let rig: OperatorRig;
  let kube: ClosableKubeClient;
  let listener: Bus;
  let operator: RunningOperator;
  const events: NimbusEvent[] = [];

  const start = (natsUrl: string | undefined): Promise<RunningOperator> => rig.run(startNatsOperator, { NATS_URL: natsUrl });
  const eventsOf = (name: string, phase: string) => events.filter((e) => e.subject === `${ns}/${name}` && e.type === `dev.nimbus.natscluster.${phase}`);
  const ready = async (name: string, namespace = ns) => {
    const cr = await kube.tryGet(nc(name, namespace));
    const status = statusOf(cr);
    return status['phase'] === 'Ready' && status['observedGeneration'] === cr?.metadata.generation ? cr : undefined;
  };
  const configHash = async (name: string) => {
    const sts = await kube.get(stsRef(name));
    return (sts['spec'] as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations[configHashAnnotation];
  };
  const natsConf = async (name: string) => ((await kube.get(cmRef(name)))['data'] as Record<string, string>)['nats.conf'] ?? '';

  before(async () => {
    rig = await startOperatorRig('all', { kubeletDelayMs: 0, fieldManager: 'nats-it', env: { RESYNC_SECONDS: '0' } });
    kube = rig.kube;
    await kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    listener = await createBus({ url: rig.nats.url, name: 'nats-it', log: silentLogger() });
    await listener.subscribe('nats-it', 'nimbus.events.natscluster.>', (event) => { events.push(event); });
    operator = await start(rig.nats.url);
  });
  after(async () => {
    await operator.stop();
    await listener.close();
    await rig.stop();
  });

  it('refuses an invalid spec with a message naming the field', async () => {
    const message = await refusal(kube.create({ ...nc('two'), metadata: { name: 'two', namespace: ns }, spec: { replicas: 2 } }));
    expect(message).to.contain('spec.replicas');
  });

  it('creates the children, becomes Ready and announces it once', async () => {
    await kube.create({ ...nc('demo'), metadata: { name: 'demo', namespace: ns }, spec: { jetstream: { storage: { size: '1Gi' } } } });
    const cr = await waitFor(() => ready('demo'), { timeoutMs: 15_000, message: 'NatsCluster demo Ready' });
    expect(cr.metadata.finalizers).to.deep.equal(['nimbus.dev/nats']);
    expect(statusOf(cr)).to.deep.include({ url: 'nats://demo-nats.nats-it.svc:4222', secretName: 'demo-nats-user-demo', readyReplicas: 1 });
    for (const ref of [secretRef('demo-nats-user-demo'), cmRef('demo'), stsRef('demo'),
      { apiVersion: 'v1', kind: 'Service', name: 'demo-nats', namespace: ns },
      { apiVersion: 'v1', kind: 'Service', name: 'demo-nats-headless', namespace: ns }]) {
      const child = await kube.get(ref);
      expect(child.metadata.ownerReferences?.[0], `${ref.kind} ${ref.name}`).to.include({ kind: 'NatsCluster', name: 'demo', uid: cr.metadata.uid });
    }
    expect(await kube.tryGet(pvcRef('demo')), 'the JetStream PVC').to.not.equal(undefined);
    const conf = await natsConf('demo');
    expect(conf).to.match(/password: "\$2a\$04\$/);
    const password = Buffer.from(((await kube.get(secretRef('demo-nats-user-demo')))['data'] as Record<string, string>)['password'] ?? '', 'base64').toString();
    expect(password).to.have.length(32);
    expect(conf).to.not.contain(password);
    const announced = await waitFor(() => eventsOf('demo', 'ready')[0], { message: 'the ready event' });
    expect(announced.data.outputs).to.deep.equal({ url: 'nats://demo-nats.nats-it.svc:4222', secretName: 'demo-nats-user-demo' });
    expect(announced.source).to.equal('/operators/nats');
  });

  it('a change of users or permissions rewrites nats.conf and rolls the pods (config hash)', async () => {
    const firstHash = await configHash('demo');
    const defaultSecret = await kube.get(secretRef('demo-nats-user-demo'));
    await kube.patch(nc('demo'), { spec: { users: [{ name: 'admin', permissions: { publish: { allow: ['>'] }, subscribe: { allow: ['>'] } } }] } }, 'merge');
    await waitFor(async () => (await natsConf('demo')).includes('user: "admin"'), { message: 'admin in nats.conf' });
    const secondHash = await configHash('demo');
    expect(secondHash).to.not.equal(firstHash);
    expect(await kube.tryGet(secretRef('demo-nats-user-admin'))).to.not.equal(undefined);
    expect((await kube.get(secretRef('demo-nats-user-demo')))['data']).to.deep.equal(defaultSecret['data']);

    await kube.patch(nc('demo'), { spec: { users: [{ name: 'admin', permissions: { publish: { allow: ['admin.>'] } } }] } }, 'merge');
    await waitFor(async () => (await natsConf('demo')).includes('"admin.>"'), { message: 'the new permission in nats.conf' });
    expect(await configHash('demo')).to.not.equal(secondHash);
    await waitFor(() => ready('demo'), { message: 'Ready again' });
  });

  it('keeps every password and the config across an operator restart (and runs without NATS_URL)', async () => {
    const secrets = await Promise.all(['demo', 'admin'].map(async (u) => (await kube.get(secretRef(`demo-nats-user-${u}`)))['data']));
    const hash = await configHash('demo');
    await operator.stop();
    // While it is down, its ConfigMap is lost: the new process must rebuild it from the same passwords.
    await kube.delete(cmRef('demo'));
    operator = await start(undefined);
    expect(operator.deps.bus.enabled).to.equal(false);
    await waitFor(() => kube.tryGet(cmRef('demo')), { message: 'the ConfigMap rebuilt' });
    expect(await configHash('demo')).to.equal(hash);
    const after = await Promise.all(['demo', 'admin'].map(async (u) => (await kube.get(secretRef(`demo-nats-user-${u}`)))['data']));
    expect(after).to.deep.equal(secrets);
    // Without NATS the operator still does its whole job.
    await kube.create({ ...nc('quiet'), metadata: { name: 'quiet', namespace: ns }, spec: { jetstream: { enabled: false } } });
    await waitFor(() => ready('quiet'), { timeoutMs: 15_000, message: 'NatsCluster quiet Ready without NATS' });
    await operator.stop();
    operator = await start(rig.nats.url);
  });

  it('delete cleans up the JetStream volumes (unless retained) and announces deleted', async () => {
    await kube.create({ ...nc('kept'), metadata: { name: 'kept', namespace: ns }, spec: { jetstream: { storage: { retainOnDelete: true } } } });
    await waitFor(() => ready('kept'), { timeoutMs: 15_000, message: 'NatsCluster kept Ready' });
    await kube.delete(nc('demo'));
    await kube.delete(nc('kept'));
    await waitFor(async () => (await kube.tryGet(nc('demo'))) === undefined && (await kube.tryGet(nc('kept'))) === undefined,
      { timeoutMs: 15_000, message: 'both NatsClusters gone' });
    expect(await kube.tryGet(pvcRef('demo')), 'the deleted volume').to.equal(undefined);
    expect(await kube.tryGet(pvcRef('kept')), 'the retained volume').to.not.equal(undefined);
    await waitFor(() => eventsOf('demo', 'deleted').length === 1, { message: 'the deleted event' });
    // One ready event per generation that became Ready (JetStream de-duplicates the retries).
    const readyGenerations = eventsOf('demo', 'ready').map((e) => e.data.observedGeneration);
    expect(readyGenerations).to.deep.equal([...new Set(readyGenerations)]);
    expect(readyGenerations[0]).to.equal(1);
  });
});
