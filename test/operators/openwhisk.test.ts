/**
 * The OpenWhisk operator end to end, in process, beside the CouchDB operator it depends on: the real client-node
 * against the embedded API server with its simulated kubelet, a real nats-server, both operators started by
 * `runOperator` exactly as their `main.ts` do (issue 6's "Must show" list).
 */
import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { silentLogger } from '#shared/observability/logger.ts';
import { runOperator, type RunningOperator } from '#shared/operator/index.ts';
import { startCouchDBOperator } from '#operators/couchdb/main.ts';
import { couchdbController } from '#operators/couchdb/controller.ts';
import { startOpenWhiskOperator } from '#operators/openwhisk/main.ts';
import { openwhiskController } from '#operators/openwhisk/controller.ts';
import { couchdbRecheckMs } from '#operators/openwhisk/status.ts';
import type { OpenWhisk } from '#operators/openwhisk/types.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { recordEvents, type EventRecorder } from '../helpers/event-recorder.ts';
import { startOperatorRig, startOperatorSim, type OperatorRig, type OperatorSim } from '../helpers/operator-sim.ts';
import { refusal } from '../helpers/refusal.ts';

const ns = 'tenant-acme';
const tenant = { 'nimbus.dev/tenant': 'acme' };
const owRef = (name: string) => ({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'OpenWhisk', namespace: ns, name });
const cdbRef = (name: string) => ({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', namespace: ns, name });
const ow = (name: string, spec: Record<string, unknown>): KubeObject =>
  ({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'OpenWhisk', metadata: { name, namespace: ns, labels: tenant }, spec });
const secretRef = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name });
const decode = (secret: KubeObject, key: string): string =>
  Buffer.from(String((secret['data'] as Record<string, string>)[key] ?? ''), 'base64').toString('utf8');
const authFormat = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}:[0-9a-f]{64}$/;

describe('OpenWhisk operator (sim + kubelet + nats-server, beside the CouchDB operator)', function () {
  this.timeout(30_000);
  let env: OperatorRig;
  let recorder: EventRecorder;
  let couchdbOperator: RunningOperator;
  let openwhiskOperator: RunningOperator;

  const startOpenWhisk = () => env.run(startOpenWhiskOperator);
  const get = (name: string) => env.kube.get<OpenWhisk>(owRef(name));
  const untilReadyAt = (name: string, generation: number) => waitFor(async () => {
    const cr = await get(name);
    return cr.status?.phase === 'Ready' && cr.status.observedGeneration === generation && cr;
  }, { message: `OpenWhisk ${name} Ready at generation ${generation}` });
  const deploymentEnv = async (name: string): Promise<Record<string, unknown>> => {
    const deployment = await env.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name });
    const containers = (deployment['spec'] as { template: { spec: { containers: Array<{ name: string; env?: Array<{ name: string; value?: string; valueFrom?: unknown }> }> } } }).template.spec.containers;
    return Object.fromEntries((containers[0]?.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
  };

  before(async () => {
    env = await startOperatorRig(['couchdb.yaml', 'openwhisk.yaml']);
    await env.kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    recorder = await recordEvents(env.nats.url);
    couchdbOperator = await env.run(startCouchDBOperator);
    openwhiskOperator = await startOpenWhisk();
  });
  after(async () => {
    await openwhiskOperator.stop();
    await couchdbOperator.stop();
    await recorder.stop();
    await env.stop();
  });

  it('waits with CouchDBNotReady (no controller created) and moves on as soon as the CouchDB is Ready, woken by its change', async () => {
    // Keep the CouchDB's StatefulSet unready until the OpenWhisk is seen waiting.
    env.sim.kubelet?.holdUnready(ns, 'acme-couchdb');
    await env.kube.create({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', metadata: { name: 'acme', namespace: ns, labels: tenant }, spec: {} });
    await env.kube.create(ow('acme', { couchdb: { ref: { name: 'acme' } } }));
    const waiting = await waitFor(async () => { const cr = await get('acme'); return cr.status?.phase === 'Waiting' && cr; }, { message: 'Waiting' });
    expect(waiting.status?.conditions?.find((c) => c.type === 'Ready')).to.include({ status: 'False', reason: 'CouchDBNotReady' });
    expect(await env.kube.tryGet({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'acme-openwhisk' })).to.equal(undefined);
    expect(couchdbRecheckMs).to.be.at.least(30_000);

    env.sim.kubelet?.release(ns, 'acme-couchdb');
    await waitFor(async () => (await env.kube.get(cdbRef('acme')))['status'] && ((await env.kube.get(cdbRef('acme')))['status'] as { phase?: string }).phase === 'Ready', { message: 'CouchDB Ready' });
    const couchdbReadyMs = Date.now();
    // The recheck timer is 30 s: leaving Waiting within 1.5 s can only be the CouchDB watch.
    await waitFor(async () => (await get('acme')).status?.phase !== 'Waiting', { timeoutMs: 1_500, intervalMs: 20, message: 'OpenWhisk leaves Waiting' });
    expect(Date.now() - couchdbReadyMs).to.be.below(1_500);
    const ready = await untilReadyAt('acme', 1);
    expect(ready.status?.apiHost).to.equal('http://acme-openwhisk.tenant-acme.svc:3233');
    expect(ready.status?.authSecrets).to.deep.equal({ acme: 'acme-openwhisk-auth-acme' });
  });

  it('publishes one ready event with apiHost and the auth Secret in its outputs', async () => {
    const [event] = await waitFor(() => { const e = recorder.about('openwhisk', `${ns}/acme`, 'ready'); return e.length > 0 && e; }, { message: 'ready event' });
    expect(event).to.include({ specversion: '1.0', source: '/operators/openwhisk', type: 'dev.nimbus.openwhisk.ready', subject: `${ns}/acme` });
    expect(event?.data).to.deep.include({ generation: 1, observedGeneration: 1, tenant: 'acme' });
    expect(event?.data.outputs).to.deep.equal({ apiHost: 'http://acme-openwhisk.tenant-acme.svc:3233', namespace: 'acme', authSecret: 'acme-openwhisk-auth-acme' });
    expect(recorder.about('openwhisk', `${ns}/acme`, 'ready')).to.have.length(1);
  });

  it('configures the controller Deployment through CONFIG_whisk_* env, the CouchDB credentials from its Secret', async () => {
    const vars = await deploymentEnv('acme-openwhisk');
    expect(vars).to.include({
      CONFIG_whisk_spi_MessagingProvider: 'org.apache.openwhisk.connector.lean.LeanMessagingProvider',
      CONFIG_whisk_spi_LoadBalancerProvider: 'org.apache.openwhisk.core.loadBalancer.LeanBalancer',
      CONFIG_whisk_spi_ArtifactStoreProvider: 'org.apache.openwhisk.core.database.CouchDbStoreProvider',
      CONFIG_whisk_spi_ContainerFactoryProvider: 'org.apache.openwhisk.core.containerpool.kubernetes.KubernetesContainerFactoryProvider',
      CONFIG_whisk_couchdb_protocol: 'http', CONFIG_whisk_couchdb_host: 'acme-couchdb.tenant-acme.svc', CONFIG_whisk_couchdb_port: '5984',
      CONFIG_whisk_couchdb_databases_WhiskAuth: 'acme_subjects', CONFIG_whisk_kubernetes_actionNamespace: ns,
      LIMITS_ACTIONS_INVOKES_PERMINUTE: '60', CONFIG_whisk_memory_max: '512 m',
    });
    expect(vars['CONFIG_whisk_couchdb_password']).to.deep.equal({ secretKeyRef: { name: 'acme-couchdb-admin', key: 'password' } });
    for (const [apiVersion, kind, name] of [['v1', 'ServiceAccount', 'acme-openwhisk-controller'], ['rbac.authorization.k8s.io/v1', 'Role', 'acme-openwhisk-controller'],
      ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'acme-openwhisk-controller'], ['v1', 'Service', 'acme-openwhisk'], ['v1', 'ConfigMap', 'acme-openwhisk-runtimes']] as const) {
      const child = await env.kube.get({ apiVersion, kind, namespace: ns, name });
      expect(child.metadata.ownerReferences?.[0], `${kind} ${name}`).to.include({ kind: 'OpenWhisk', name: 'acme', controller: true });
    }
  });

  it('keeps the auth keys (valid format) across an operator restart and a spec change; the Deployment follows the spec', async () => {
    const auth = decode(await env.kube.get(secretRef('acme-openwhisk-auth-acme')), 'auth');
    expect(auth).to.match(authFormat);
    await openwhiskOperator.stop();
    openwhiskOperator = await startOpenWhisk();
    await env.kube.patch(owRef('acme'), { spec: { limits: { invocationsPerMinute: 240, actionMemoryMax: 1024 } } }, 'merge');
    await untilReadyAt('acme', 2);
    await waitFor(async () => (await deploymentEnv('acme-openwhisk'))['LIMITS_ACTIONS_INVOKES_PERMINUTE'] === '240', { message: 'new limits in the Deployment' });
    expect((await deploymentEnv('acme-openwhisk'))['CONFIG_whisk_memory_max']).to.equal('1024 m');
    expect(decode(await env.kube.get(secretRef('acme-openwhisk-auth-acme')), 'auth')).to.equal(auth);
  });

  it('gives a namespace added later its own key and runs a new init Job', async () => {
    const auth = decode(await env.kube.get(secretRef('acme-openwhisk-auth-acme')), 'auth');
    const jobsBefore = (await env.kube.list({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns })).items
      .map((j) => j.metadata.name ?? '').filter((n) => n.startsWith('acme-openwhisk-init-'));
    await env.kube.patch(owRef('acme'), { spec: { namespaces: ['acme', 'acme-dev'] } }, 'merge');
    const ready = await untilReadyAt('acme', 3);
    expect(ready.status?.authSecrets).to.deep.equal({ acme: 'acme-openwhisk-auth-acme', 'acme-dev': 'acme-openwhisk-auth-acme-dev' });
    const devAuth = decode(await env.kube.get(secretRef('acme-openwhisk-auth-acme-dev')), 'auth');
    expect(devAuth).to.match(authFormat).and.not.equal(auth);
    expect(decode(await env.kube.get(secretRef('acme-openwhisk-auth-acme')), 'auth')).to.equal(auth);
    const initJobs = async () => (await env.kube.list({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns })).items
      .map((j) => j.metadata.name ?? '').filter((n) => n.startsWith('acme-openwhisk-init-'));
    // Only the Job of the current inputs is left: the superseded ones are deleted once it succeeded.
    const jobsAfter = await waitFor(async () => { const names = await initJobs(); return names.length === 1 && names; }, { message: 'one init Job' });
    expect(jobsBefore).to.not.include(jobsAfter[0]);
    const job = await env.kube.get({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns, name: jobsAfter[0] ?? '' });
    expect(JSON.stringify(job['spec'])).to.contain('acme-openwhisk-auth-acme-dev');
  });

  it('refuses invalid specs with a clear message', async () => {
    expect(await refusal(env.kube.create(ow('both', { couchdb: { ref: { name: 'acme' }, url: 'http://x:5984', secretRef: { name: 's' } } }))))
      .to.contain('exactly one of ref');
    expect(await refusal(env.kube.create(ow('neither', { couchdb: {} })))).to.contain('exactly one of ref');
    expect(await refusal(env.kube.create(ow('nosecret', { couchdb: { url: 'http://x:5984' } })))).to.contain('spec.couchdb.secretRef');
    expect(await refusal(env.kube.create(ow('limits', { couchdb: { ref: { name: 'acme' } }, limits: { invocationsPerMinute: -5 } }))))
      .to.contain('spec.limits.invocationsPerMinute');
  });

  it('deletes: finalizer runs, a deleted event, the object and its children are gone', async () => {
    await env.kube.delete(owRef('acme'));
    await waitFor(async () => (await env.kube.tryGet(owRef('acme'))) === undefined, { message: 'OpenWhisk gone' });
    await waitFor(() => recorder.about('openwhisk', `${ns}/acme`, 'deleted').length === 1, { message: 'deleted event' });
    // The deleted event came last: by now every ready event was delivered, exactly one per generation.
    expect(recorder.about('openwhisk', `${ns}/acme`, 'ready').map((e) => e.data.generation)).to.deep.equal([1, 2, 3]);
    await waitFor(async () => (await env.kube.tryGet({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'acme-openwhisk' })) === undefined
      && (await env.kube.tryGet(secretRef('acme-openwhisk-auth-acme'))) === undefined, { message: 'children collected' });
  });
});

describe('OpenWhisk and CouchDB controllers in one process, without NATS_URL', function () {
  this.timeout(30_000);
  let env: OperatorSim;
  let operator: RunningOperator;

  before(async () => {
    env = await startOperatorSim(['couchdb.yaml', 'openwhisk.yaml']);
    await env.kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    operator = await runOperator({
      name: 'all', env: { KUBECONFIG: env.sim.kubeconfigPath, HTTP_PORT: '0' }, handleSignals: false, log: silentLogger(),
      controllers: (deps, config, runtime) => [couchdbController(deps, config, runtime), openwhiskController(deps, config, runtime)],
    });
  });
  after(async () => {
    await operator.stop();
    await env.stop();
  });

  it('reaches Ready with events off', async () => {
    expect(operator.deps.bus.enabled).to.equal(false);
    expect(operator.controllers).to.have.length(2);
    await env.kube.create({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', metadata: { name: 'solo', namespace: ns }, spec: {} });
    await env.kube.create(ow('solo', { couchdb: { ref: { name: 'solo' } } }));
    await waitFor(async () => (await env.kube.get<OpenWhisk>(owRef('solo'))).status?.phase === 'Ready', { message: 'OpenWhisk solo Ready' });
  });
});

describe('OpenWhisk operator alone (no CouchDB CRD), on an external CouchDB URL', function () {
  this.timeout(30_000);
  let env: OperatorSim;
  let operator: RunningOperator;

  before(async () => {
    env = await startOperatorSim(['openwhisk.yaml']);
    await env.kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    operator = await startOpenWhiskOperator({ env: { KUBECONFIG: env.sim.kubeconfigPath, HTTP_PORT: '0' }, handleSignals: false, log: silentLogger() });
  });
  after(async () => {
    await operator.stop();
    await env.stop();
  });

  it('starts without watching CouchDBs, waits for the credentials Secret (woken by it) and reaches Ready', async () => {
    expect(operator.ready()).to.equal(true);
    await env.kube.create(ow('ext', { couchdb: { url: 'https://couch.example.com:6984', secretRef: { name: 'ext-couch' } } }));
    await waitFor(async () => (await env.kube.get<OpenWhisk>(owRef('ext'))).status?.conditions?.some((c) => c.reason === 'CouchDBSecretNotFound'), { message: 'CouchDBSecretNotFound' });
    await env.kube.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ext-couch', namespace: ns }, stringData: { username: 'admin', password: 'pw' } });
    // The Secret recheck timer is 15 s: Ready within 8 s comes from the Secret watch.
    await waitFor(async () => (await env.kube.get<OpenWhisk>(owRef('ext'))).status?.phase === 'Ready', { timeoutMs: 8_000, message: 'ext Ready' });
    const deployment = await env.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'ext-openwhisk' });
    expect(JSON.stringify(deployment['spec'])).to.contain('"name":"CONFIG_whisk_couchdb_host","value":"couch.example.com"');
  });
});
