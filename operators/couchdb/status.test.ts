import { expect } from 'chai';
import { initJobName } from './init-job.ts';
import { status } from './status.ts';
import { couchdb, job, secret, statefulSet } from './testing/fixtures.ts';

const t0 = '2026-01-01T00:00:00Z';
const t1 = '2026-01-01T00:01:00Z';

describe('couchdb status()', () => {
  it('is Pending while the StatefulSet does not exist', () => {
    const s = status(couchdb(), {}, t0);
    expect(s.phase).to.equal('Pending');
    expect(s.conditions).to.deep.include({ type: 'Ready', status: 'False', reason: 'StatefulSetNotReady', message: 'creating the StatefulSet', lastTransitionTime: t0, observedGeneration: 1 });
    expect(s.conditions.find((c) => c.type === 'Progressing')?.status).to.equal('True');
  });

  it('is Provisioning/StatefulSetNotReady with the replica count until every replica is ready', () => {
    const s = status(couchdb({ replicas: 3 }), { statefulSet: statefulSet('acme-couchdb', 1) }, t0);
    expect(s.phase).to.equal('Provisioning');
    expect(s.reason).to.equal('StatefulSetNotReady');
    expect(s.message).to.equal('StatefulSet acme-couchdb: 1/3 replicas ready');
    expect(s.fields.readyReplicas).to.equal(1);
  });

  it('is Provisioning/InitJobRunning once the StatefulSet is ready and the Job has not finished', () => {
    const cr = couchdb();
    const sts = statefulSet('acme-couchdb', 1);
    expect(status(cr, { statefulSet: sts }, t0).reason).to.equal('InitJobRunning');
    const s = status(cr, { statefulSet: sts, initJob: job(initJobName(cr), 'running') }, t0);
    expect([s.phase, s.reason]).to.deep.equal(['Provisioning', 'InitJobRunning']);
  });

  it("is Failed/InitJobFailed with the Job's message, and not Progressing", () => {
    const cr = couchdb();
    const name = initJobName(cr);
    const s = status(cr, { statefulSet: statefulSet('acme-couchdb', 1), initJob: job(name, 'failed', 'Job has reached the specified backoff limit') }, t0);
    expect(s.phase).to.equal('Failed');
    expect(s.reason).to.equal('InitJobFailed');
    expect(s.message).to.contain(`init Job ${name} failed: BackoffLimitExceeded: Job has reached the specified backoff limit`);
    expect(s.conditions.find((c) => c.type === 'Progressing')).to.include({ status: 'False', reason: 'InitJobFailed' });
  });

  it('is Ready with endpoint, secretName and event outputs when the Job completed', () => {
    const cr = couchdb({}, 'acme', 4);
    const s = status(cr, { statefulSet: statefulSet('acme-couchdb', 1, 3), initJob: job(initJobName(cr), 'complete') }, t0);
    expect(s.phase).to.equal('Ready');
    expect(s.fields).to.deep.equal({
      observedGeneration: 4, endpoint: 'http://acme-couchdb.tenant-acme.svc:5984', secretName: 'acme-couchdb-admin', readyReplicas: 1,
    });
    expect(s.outputs).to.deep.equal({ endpoint: 'http://acme-couchdb.tenant-acme.svc:5984', secretName: 'acme-couchdb-admin' });
    expect(s.conditions.find((c) => c.type === 'Ready')).to.include({ status: 'True', reason: 'Ready', observedGeneration: 4 });
    expect(s.requeueAfterMs).to.equal(undefined);
  });

  it('recovers from Failed to Ready once a fixed spec ran a new Job, moving lastTransitionTime only on change', () => {
    const broken = couchdb({ databases: ['a'] });
    const failed = status(broken, { statefulSet: statefulSet('acme-couchdb', 1), initJob: job(initJobName(broken), 'failed') }, t0);
    const fixed = couchdb({ databases: ['b'] }, 'acme', 2);
    fixed.status = { conditions: failed.conditions };
    const running = status(fixed, { statefulSet: statefulSet('acme-couchdb', 1) }, t1);
    expect(running.phase).to.equal('Provisioning');
    expect(running.conditions.find((c) => c.type === 'Ready')?.lastTransitionTime).to.equal(t0);
    expect(running.conditions.find((c) => c.type === 'Progressing')?.lastTransitionTime).to.equal(t1);
    fixed.status = { conditions: running.conditions };
    const ready = status(fixed, { statefulSet: statefulSet('acme-couchdb', 1), initJob: job(initJobName(fixed), 'complete') }, t1);
    expect(ready.phase).to.equal('Ready');
  });

  it('waits for a missing adminSecretRef Secret, naming the field and the fix, and rechecks', () => {
    const s = status(couchdb({ adminSecretRef: { name: 'mine' } }), {}, t0);
    expect([s.phase, s.reason]).to.deep.equal(['Pending', 'AdminSecretNotFound']);
    expect(s.message).to.contain('spec.adminSecretRef.name').and.to.contain('"mine"').and.to.contain('username and password');
    expect(s.requeueAfterMs).to.be.greaterThan(0);
    expect(s.fields.secretName).to.equal('mine');
  });

  it('fails an adminSecretRef Secret without a password', () => {
    const s = status(couchdb({ adminSecretRef: { name: 'mine' } }), { adminSecret: secret('mine', { username: 'admin' }) }, t0);
    expect([s.phase, s.reason]).to.deep.equal(['Failed', 'InvalidAdminSecret']);
    expect(s.message).to.contain('password');
  });
});
