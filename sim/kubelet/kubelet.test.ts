import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { startApiServer } from '#sim/index.ts';
import type { ApiServer } from '#sim/index.ts';
import type { StoreClient } from '#sim/store/client.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { startKubelet } from './index.ts';
import type { Kubelet } from './index.ts';

type Status = Record<string, unknown> & { conditions?: Array<Record<string, unknown>> };

const ns = 'kl';
const sts = (name: string, replicas = 1): KubeObject => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: ns }, spec: {
  replicas, serviceName: name, selector: { matchLabels: { app: name } },
  template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'couchdb:3.3', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] } },
  volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } });
const deploy = (name: string): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: {
  replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } } });
const job = (name: string): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: ns }, spec: {
  template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'curl:8' }] } } } });

function statusOf(store: StoreClient, kind: string, apiVersion: string, name: string): Status {
  return (store.get({ apiVersion, kind, namespace: ns, name })?.status ?? {}) as Status;
}

function condition(status: Status, type: string): Record<string, unknown> | undefined {
  return status.conditions?.find((c) => c.type === type);
}

describe('simulated kubelet', () => {
  let server: ApiServer;
  let store: StoreClient;
  let kubelet: Kubelet;
  before(async () => {
    server = await startApiServer({ quiet: true, kubelet: false });
    store = server.store;
    kubelet = startKubelet(store.api, { delayMs: 0 });
    store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });
  after(async () => {
    kubelet.stop();
    await server.stop();
  });

  it('marks a StatefulSet ready, creates and binds its claims, and re-marks after a scale', async () => {
    store.create(sts('db'));
    await waitFor(() => statusOf(store, 'StatefulSet', 'apps/v1', 'db').readyReplicas === 1, { message: 'sts ready' });
    const status = statusOf(store, 'StatefulSet', 'apps/v1', 'db');
    expect(status).to.include({ observedGeneration: 1, replicas: 1, currentReplicas: 1, updatedReplicas: 1, availableReplicas: 1 });
    expect(status.currentRevision).to.equal(status.updateRevision).and.match(/^db-[0-9a-f]{10}$/);
    const claim = await waitFor(() => store.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'data-db-0' }));
    await waitFor(() => (store.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'data-db-0' })?.status as Status | undefined)?.phase === 'Bound');
    expect(claim.metadata.labels).to.deep.equal({ app: 'db' });
    const cur = store.get({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: ns, name: 'db' })!;
    (cur.spec as { replicas: number }).replicas = 3;
    const scaled = store.update(cur);
    expect(scaled.metadata.generation).to.equal(2);
    await waitFor(() => statusOf(store, 'StatefulSet', 'apps/v1', 'db').observedGeneration === 2, { message: 'observed generation 2' });
    expect(statusOf(store, 'StatefulSet', 'apps/v1', 'db')).to.include({ replicas: 3, readyReplicas: 3 });
    await waitFor(() => store.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'data-db-2' }));
  });

  it('marks a Deployment available (kubectl wait --for=condition=Available)', async () => {
    store.create(deploy('web'));
    await waitFor(() => condition(statusOf(store, 'Deployment', 'apps/v1', 'web'), 'Available')?.status === 'True');
    const status = statusOf(store, 'Deployment', 'apps/v1', 'web');
    expect(status).to.include({ observedGeneration: 1, replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2 });
    expect(condition(status, 'Progressing')).to.include({ status: 'True', reason: 'NewReplicaSetAvailable' });
  });

  it('completes a Job once, through /status (generation and spec untouched)', async () => {
    store.create(job('init'));
    await waitFor(() => condition(statusOf(store, 'Job', 'batch/v1', 'init'), 'Complete')?.status === 'True');
    const obj = store.get({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns, name: 'init' })!;
    expect(obj.metadata.generation).to.equal(1);
    expect(obj.status).to.include({ succeeded: 1 });
    expect((obj.status as Status).startTime).to.be.a('string');
    expect((obj.status as Status).completionTime).to.be.a('string');
  });

  it('fails Jobs by name prefix with the given message', async () => {
    kubelet.failJob(ns, 'migrate', 'boom: exit 1');
    store.create(job('migrate-1'));
    await waitFor(() => condition(statusOf(store, 'Job', 'batch/v1', 'migrate-1'), 'Failed')?.status === 'True');
    const status = statusOf(store, 'Job', 'batch/v1', 'migrate-1');
    expect(condition(status, 'Failed')).to.include({ reason: 'BackoffLimitExceeded', message: 'boom: exit 1' });
    expect(status.failed).to.equal(7);
    expect(condition(status, 'Complete')).to.equal(undefined);
    kubelet.clearJobFailures();
  });

  it('holds a workload unready until released', async () => {
    kubelet.holdUnready(ns, 'slow');
    store.create(deploy('slow'));
    await waitFor(() => condition(statusOf(store, 'Deployment', 'apps/v1', 'slow'), 'Available')?.status === 'False');
    expect(statusOf(store, 'Deployment', 'apps/v1', 'slow')).to.include({ observedGeneration: 1, unavailableReplicas: 2 });
    kubelet.release(ns, 'slow');
    await waitFor(() => condition(statusOf(store, 'Deployment', 'apps/v1', 'slow'), 'Available')?.status === 'True');
  });

  it('waits delayMs before marking ready', async () => {
    kubelet.setDelayMs(300);
    const started = Date.now();
    store.create(sts('late'));
    await waitFor(() => statusOf(store, 'StatefulSet', 'apps/v1', 'late').readyReplicas === 1, { message: 'late ready' });
    expect(Date.now() - started).to.be.at.least(280);
    kubelet.setDelayMs(0);
  });

  it('does not write again when nothing changed (no status churn)', async () => {
    const before = store.get({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: ns, name: 'db' })!.metadata.resourceVersion;
    const cur = store.get({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: ns, name: 'db' })!;
    cur.metadata.labels = { touched: 'yes' };
    const touched = store.update(cur);
    expect(touched.metadata.resourceVersion).to.not.equal(before);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(store.get({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: ns, name: 'db' })!.metadata.resourceVersion).to.equal(touched.metadata.resourceVersion);
  });
});
