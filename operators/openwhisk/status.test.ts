import { expect } from 'chai';
import type { OpenWhiskObserved } from './desired.ts';
import { initJobName } from './init-job.ts';
import { status } from './status.ts';
import { authSecrets, couchdbObject, deployment, designDocsConfigMap, openwhisk, userSecret } from './testing/fixtures.ts';
import type { KubeObject } from '#shared/kube/types.ts';

const t0 = '2026-01-01T00:00:00Z';

function job(name: string, state: 'running' | 'complete' | 'failed'): KubeObject {
  const conditions = state === 'complete' ? [{ type: 'Complete', status: 'True' }]
    : state === 'failed' ? [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] : [];
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, status: { conditions } };
}

describe('openwhisk status()', () => {
  const cr = openwhisk();
  const base: OpenWhiskObserved = { couchdb: couchdbObject(true), authSecrets: authSecrets(cr, ['acme']) };
  const jobName = initJobName(cr, base) ?? '';

  it('is Waiting/CouchDBNotReady while the CouchDB is missing or not Ready, and rechecks', () => {
    for (const observed of [{}, { couchdb: couchdbObject(false) }]) {
      const s = status(cr, observed, t0);
      expect([s.phase, s.reason]).to.deep.equal(['Waiting', 'CouchDBNotReady']);
      expect(s.conditions.find((c) => c.type === 'Ready')).to.include({ status: 'False', reason: 'CouchDBNotReady' });
      expect(s.requeueAfterMs).to.be.greaterThan(0);
    }
    expect(status(cr, {}, t0).message).to.contain('spec.couchdb.ref.name');
    expect(status(cr, { couchdb: couchdbObject(false) }, t0).message).to.contain('now Provisioning');
  });

  it('is Waiting/CouchDBSecretNotFound when the url secretRef Secret is missing', () => {
    const ext = openwhisk({ couchdb: { url: 'http://couch:5984', secretRef: { name: 'ext-couch' } } });
    const s = status(ext, {}, t0);
    expect([s.phase, s.reason]).to.deep.equal(['Waiting', 'CouchDBSecretNotFound']);
    expect(s.message).to.contain('spec.couchdb.secretRef.name');
    expect(status(ext, { couchdbSecret: userSecret() }, t0).phase).to.equal('Pending');
  });

  it('is Pending, then Provisioning/InitJobRunning, then ControllerNotReady', () => {
    expect(status(cr, { couchdb: couchdbObject(true) }, t0)).to.include({ phase: 'Pending', reason: 'InitJobRunning' });
    expect(status(cr, { ...base, deployment: deployment(false), initJob: job(jobName, 'running') }, t0))
      .to.include({ phase: 'Provisioning', reason: 'InitJobRunning' });
    expect(status(cr, { ...base, deployment: deployment(false), initJob: job(jobName, 'complete') }, t0))
      .to.include({ phase: 'Provisioning', reason: 'ControllerNotReady' });
  });

  it("is Failed/InitJobFailed with the Job's message", () => {
    const s = status(cr, { ...base, deployment: deployment(true), initJob: job(jobName, 'failed') }, t0);
    expect([s.phase, s.reason]).to.deep.equal(['Failed', 'InitJobFailed']);
    expect(s.message).to.contain('BackoffLimitExceeded: Job has reached the specified backoff limit');
    expect(s.conditions.find((c) => c.type === 'Progressing')?.status).to.equal('False');
  });

  it('is Ready with apiHost, authSecrets and outputs', () => {
    const s = status(cr, { ...base, deployment: deployment(true), initJob: job(jobName, 'complete') }, t0);
    expect(s.phase).to.equal('Ready');
    expect(s.fields).to.deep.equal({
      observedGeneration: 1, apiHost: 'http://acme-openwhisk.tenant-acme.svc:3233', authSecrets: { acme: 'acme-openwhisk-auth-acme' },
    });
    expect(s.outputs).to.deep.equal({ apiHost: 'http://acme-openwhisk.tenant-acme.svc:3233', namespace: 'acme', authSecret: 'acme-openwhisk-auth-acme' });
    expect(s.conditions.find((c) => c.type === 'Ready')).to.include({ status: 'True', reason: 'Ready' });
  });

  it('is Failed/InvalidCouchDBURL for a URL that cannot work', () => {
    const s = status(openwhisk({ couchdb: { url: 'ftp://x', secretRef: { name: 'ext-couch' } } }), { couchdbSecret: userSecret() }, t0);
    expect([s.phase, s.reason]).to.deep.equal(['Failed', 'InvalidCouchDBURL']);
    expect(s.message).to.contain('spec.couchdb.url');
  });

  it('is Ready without design documents, with DesignDocuments False/NotProvided saying how to provide them', () => {
    const s = status(cr, { ...base, deployment: deployment(true), initJob: job(jobName, 'complete') }, t0);
    expect(s.phase).to.equal('Ready');
    const condition = s.conditions.find((c) => c.type === 'DesignDocuments');
    expect(condition).to.include({ status: 'False', reason: 'NotProvided', observedGeneration: 1 });
    expect(condition?.message).to.contain('will not serve queries').and.to.contain('spec.designDocuments.configMapRef.name')
      .and.to.contain('<subjects|whisks|activations>--<name>.json');
    // Also while waiting on the CouchDB: the user learns it at once.
    expect(status(cr, {}, t0).conditions.find((c) => c.type === 'DesignDocuments')?.reason).to.equal('NotProvided');
  });

  it('waits for a named design documents ConfigMap, then reports what the init Job writes or skips', () => {
    const withDocs = openwhisk({ couchdb: { ref: { name: 'acme' } }, designDocuments: { configMapRef: { name: 'ow-design-docs' } } });
    const missing = status(withDocs, { ...base, deployment: deployment(true) }, t0);
    expect(missing).to.include({ phase: 'Provisioning', reason: 'DesignDocumentsNotFound' });
    expect(missing.requeueAfterMs).to.be.greaterThan(0);
    expect(missing.conditions.find((c) => c.type === 'DesignDocuments')).to.include({ status: 'False', reason: 'ConfigMapNotFound' });

    const observed: OpenWhiskObserved = { ...base, designDocuments: designDocsConfigMap(), deployment: deployment(true) };
    const ready = status(withDocs, { ...observed, initJob: job(initJobName(withDocs, observed) ?? '', 'complete') }, t0);
    expect(ready.phase).to.equal('Ready');
    const provided = ready.conditions.find((c) => c.type === 'DesignDocuments');
    expect(provided).to.include({ status: 'True', reason: 'Provided' });
    expect(provided?.message).to.contain('subjects/_design/test');

    const bad = designDocsConfigMap();
    bad['data'] = { 'entities--x.json': '{"views":{}}' };
    const invalid = status(withDocs, { ...base, designDocuments: bad }, t0).conditions.find((c) => c.type === 'DesignDocuments');
    expect(invalid).to.include({ status: 'False', reason: 'Invalid' });
    expect(invalid?.message).to.contain('entities--x.json');
  });
});
