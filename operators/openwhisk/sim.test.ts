/**
 * The CRD and the children against the embedded API server with the real client: invalid specs refused with a
 * message naming the field; Waiting until the CouchDB is Ready; then every child accepted and Ready.
 */
import { expect } from 'chai';
import type { ClosableKubeClient } from '#shared/kube/client.ts';
import { AlreadyExistsError } from '#shared/kube/errors.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import { testDeps } from '#shared/controller/test-fixtures.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { startOperatorSim, type OperatorSim } from '../../test/helpers/operator-sim.ts';
import { refusal } from '../../test/helpers/refusal.ts';
import { desired } from './desired.ts';
import { observe } from './observe.ts';
import { pruneInitJobs, reconcileOpenWhisk } from './reconcile.ts';
import { status, type OpenWhiskStatusResult } from './status.ts';
import type { OpenWhisk } from './types.ts';

describe('openwhisk CRD and children in the embedded API server', () => {
  let kube: ClosableKubeClient;
  let env: OperatorSim;
  const ow = (name: string, spec: unknown): KubeObject =>
    ({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'OpenWhisk', metadata: { name, namespace: 'default' }, spec });

  before(async () => {
    env = await startOperatorSim(['couchdb.yaml', 'openwhisk.yaml'], { kubeletDelayMs: 0, fieldManager: 'nimbus-openwhisk' });
    ({ kube } = env);
  });
  after(async () => {
    await env.stop();
  });

  it('refuses both ref and url, neither, url without secretRef, and limits out of range', async () => {
    expect(await refusal(kube.create(ow('both', { couchdb: { ref: { name: 'c' }, url: 'http://c:5984', secretRef: { name: 's' } } }))))
      .to.contain('set exactly one of ref');
    expect(await refusal(kube.create(ow('neither', { couchdb: {} })))).to.contain('set exactly one of ref');
    expect(await refusal(kube.create(ow('nosecret', { couchdb: { url: 'http://c:5984' } })))).to.contain('spec.couchdb.secretRef is required');
    expect(await refusal(kube.create(ow('limits', { couchdb: { ref: { name: 'c' } }, limits: { actionMemoryMax: 64 } }))))
      .to.contain('spec.limits.actionMemoryMax');
  });

  async function pass(name: string): Promise<OpenWhiskStatusResult> {
    const cr = await kube.get<OpenWhisk>({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'OpenWhisk', namespace: 'default', name });
    const children = desired(cr, await observe(cr, { kube }));
    for (const secret of children.createOnce) {
      await kube.create(secret).catch((error: unknown) => { if (!(error instanceof AlreadyExistsError)) throw error; });
    }
    for (const child of children.apply) await kube.apply(child);
    const observed = await observe(cr, { kube });
    await pruneInitJobs(cr, observed.initJob, { kube });
    return status(cr, observed, new Date().toISOString());
  }

  it('waits for its CouchDB, then creates the controller and becomes Ready', async () => {
    const couchdbRef = { apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', namespace: 'default', name: 'db' };
    await kube.create({ ...couchdbRef, metadata: { name: 'db', namespace: 'default' }, spec: {} });
    await kube.create(ow('acme', { couchdb: { ref: { name: 'db' } }, namespaces: ['acme', 'acme-dev'] }));
    const waiting = await pass('acme');
    expect([waiting.phase, waiting.reason]).to.deep.equal(['Waiting', 'CouchDBNotReady']);
    const controller = await kube.tryGet({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'acme-openwhisk' });
    expect(controller).to.equal(undefined);

    await kube.applyStatus({
      apiVersion: couchdbRef.apiVersion, kind: couchdbRef.kind, metadata: { name: 'db', namespace: 'default' },
      status: {
        phase: 'Ready', endpoint: 'http://db-couchdb.default.svc:5984', secretName: 'db-couchdb-admin',
        conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: 'ready', lastTransitionTime: '2026-01-01T00:00:00Z' }],
      },
    });
    const ready = await waitFor(async () => { const s = await pass('acme'); return s.phase === 'Ready' && s; }, { message: 'OpenWhisk Ready' });
    expect(ready.fields.authSecrets).to.deep.equal({ acme: 'acme-openwhisk-auth-acme', 'acme-dev': 'acme-openwhisk-auth-acme-dev' });
    const auth = await kube.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'default', name: 'acme-openwhisk-auth-acme' });
    const value = Buffer.from(String((auth['data'] as Record<string, string>)['auth']), 'base64').toString();
    expect(value).to.match(/^[0-9a-f-]{36}:[0-9a-f]{64}$/);
    // a further pass changes nothing: the key and the Job stay
    const again = await pass('acme');
    expect(again.phase).to.equal('Ready');
    const same = await kube.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'default', name: 'acme-openwhisk-auth-acme' });
    expect(same['data']).to.deep.equal(auth['data']);
  });

  it('adding a namespace adds a key, keeps the others, and runs a new init Job', async () => {
    const ref = { apiVersion: 'nimbus.dev/v1alpha1', kind: 'OpenWhisk', namespace: 'default', name: 'acme' };
    const jobsBefore = await kube.list({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'default' });
    const keyBefore = await kube.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'default', name: 'acme-openwhisk-auth-acme' });
    await kube.patch(ref, { spec: { namespaces: ['acme', 'acme-dev', 'acme-prod'] } }, 'merge');
    await waitFor(async () => { const s = await pass('acme'); return s.phase === 'Ready' && s.fields.authSecrets['acme-prod'] !== undefined; },
      { message: 'OpenWhisk Ready with acme-prod' });
    // The new init Job ran; the superseded one is deleted once it succeeded.
    const initJobs = async () => (await kube.list({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'default' })).items
      .map((j) => j.metadata.name ?? '').filter((n) => n.startsWith('acme-openwhisk-init-'));
    const before = jobsBefore.items.map((j) => j.metadata.name ?? '').filter((n) => n.startsWith('acme-openwhisk-init-'));
    expect(before).to.have.length(1);
    const after = await waitFor(async () => { const names = await initJobs(); return names.length === 1 && names; }, { message: 'one init Job' });
    expect(after[0]).to.not.equal(before[0]);
    const keyAfter = await kube.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'default', name: 'acme-openwhisk-auth-acme' });
    expect(keyAfter['data']).to.deep.equal(keyBefore['data']);
    expect(await kube.tryGet({ apiVersion: 'v1', kind: 'Secret', namespace: 'default', name: 'acme-openwhisk-auth-acme-prod' })).to.not.equal(undefined);
  });

  it('through the reconciler: Ready without design documents, condition NotProvided and one Warning Event', async () => {
    const deps = testDeps(kube);
    await kube.create(ow('bare', { couchdb: { ref: { name: 'db' } } }));
    const ref = { apiVersion: 'nimbus.dev/v1alpha1', kind: 'OpenWhisk', namespace: 'default', name: 'bare' };
    const current = await waitFor(async () => {
      await reconcileOpenWhisk('default/bare', deps);
      const cr = await kube.get<OpenWhisk>(ref);
      return cr.status?.phase === 'Ready' && cr;
    }, { message: 'bare OpenWhisk Ready' });
    const condition = current.status?.conditions?.find((c) => c.type === 'DesignDocuments');
    expect(condition).to.include({ status: 'False', reason: 'NotProvided' });
    expect(condition?.message).to.contain('will not serve queries');
    // The wait-for-database init container waits for the subjects database only.
    const deployment = JSON.stringify(await kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'bare-openwhisk' }));
    expect(deployment).to.contain('"name":"WAIT_FOR","value":"bare_subjects"');
    await reconcileOpenWhisk('default/bare', deps);
    const warnings = (await kube.list({ apiVersion: 'v1', kind: 'Event', namespace: 'default' })).items
      .filter((e) => e['reason'] === 'DesignDocumentsNotProvided' && (e['involvedObject'] as { name?: string }).name === 'bare');
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include({ type: 'Warning', count: 1 });
  });
});
