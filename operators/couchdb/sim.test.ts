/**
 * The CRD and the children against the embedded API server with the real client: invalid specs are refused with a
 * message naming the field, defaults are applied, every rendered child is accepted, and observe() reads them back.
 */
import { expect } from 'chai';
import type { ApiServer } from '#sim/index.ts';
import type { ClosableKubeClient } from '#shared/kube/client.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { startOperatorSim, type OperatorSim } from '../../test/helpers/operator-sim.ts';
import { refusal } from '../../test/helpers/refusal.ts';
import { AlreadyExistsError } from '#shared/kube/errors.ts';
import { desired } from './desired.ts';
import { status, type CouchDBStatusResult } from './status.ts';
import { observe } from './observe.ts';
import type { CouchDB } from './types.ts';

describe('couchdb CRD and children in the embedded API server', () => {
  let sim: ApiServer;
  let kube: ClosableKubeClient;
  let env: OperatorSim;
  const cdb = (name: string, spec: unknown): KubeObject =>
    ({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', metadata: { name, namespace: 'default' }, spec });

  before(async () => {
    env = await startOperatorSim(['couchdb.yaml'], { kubeletDelayMs: 0, fieldManager: 'nimbus-couchdb' });
    ({ sim, kube } = env);
  });
  after(async () => {
    await env.stop();
  });

  it('refuses replicas 2, a negative size and a bad image, naming the field', async () => {
    expect(await refusal(kube.create(cdb('two', { replicas: 2 })))).to.contain('spec.replicas');
    expect(await refusal(kube.create(cdb('neg', { storage: { size: '-1Gi' } })))).to.contain('spec.storage.size');
    expect(await refusal(kube.create(cdb('img', { image: 'Not An Image' })))).to.contain('spec.image');
  });

  it('defaults the spec, accepts every desired child and observes them', async () => {
    const cr = await kube.create<CouchDB>(cdb('acme', { databases: ['orders'] }));
    expect(cr.spec).to.deep.include({ replicas: 1, image: 'couchdb:3.4.2' });
    expect(cr.spec?.storage?.size).to.equal('1Gi');
    const first = desired(cr, {});
    for (const secret of first.createOnce) await kube.create(secret);
    for (const child of first.apply) await kube.apply(child);
    const observed = await observe(cr, { kube });
    expect(observed.statefulSet?.metadata.name).to.equal('acme-couchdb');
    expect(observed.adminSecret?.metadata.name).to.equal('acme-couchdb-admin');
    expect(observed.initJob).to.equal(undefined);
  });

  /** One pass of what the reconciler will do with the pure parts: observe, create/apply, compute status. */
  async function pass(name: string): Promise<CouchDBStatusResult> {
    const cr = await kube.get<CouchDB>({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', namespace: 'default', name });
    const children = desired(cr, await observe(cr, { kube }));
    for (const secret of children.createOnce) {
      await kube.create(secret).catch((error: unknown) => { if (!(error instanceof AlreadyExistsError)) throw error; });
    }
    for (const child of children.apply) await kube.apply(child);
    return status(cr, await observe(cr, { kube }), new Date().toISOString());
  }

  it('converges to Ready as the kubelet readies the StatefulSet and completes the init Job', async () => {
    await kube.create(cdb('conv', { replicas: 3, databases: ['a'] }));
    const ready = await waitFor(async () => { const s = await pass('conv'); return s.phase === 'Ready' && s; }, { message: 'CouchDB conv Ready' });
    expect(ready.fields).to.include({ endpoint: 'http://conv-couchdb.default.svc:5984', secretName: 'conv-couchdb-admin', readyReplicas: 3 });
  });

  it("fails with the Job's message, and recovers when a spec change runs a new Job", async () => {
    sim.kubelet?.failJob('default', 'bad-couchdb-init', 'database creation refused');
    await kube.create(cdb('bad', { databases: ['x'] }));
    const failed = await waitFor(async () => { const s = await pass('bad'); return s.phase === 'Failed' && s; }, { message: 'CouchDB bad Failed' });
    expect(failed.reason).to.equal('InitJobFailed');
    expect(failed.message).to.contain('database creation refused');
    sim.kubelet?.clearJobFailures();
    await kube.patch({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', namespace: 'default', name: 'bad' }, { spec: { databases: ['y'] } }, 'merge');
    await waitFor(async () => (await pass('bad')).phase === 'Ready', { message: 'CouchDB bad Ready again' });
  });
});
