import { expect } from 'chai';
import { findCondition } from '#shared/objects/index.ts';
import type { TenantObserved } from './credentials.ts';
import { envSecret } from './desired.ts';
import { stepTransitions, tenantStatus } from './status.ts';
import { allReady, child, namespaceObject, tenant } from './testing/fixtures.ts';
import type { StepName, StepStatus, Tenant, TenantStatus } from './types.ts';

const t0 = '2026-01-01T10:00:00Z';
const t1 = '2026-01-01T10:00:05Z';
const t2 = '2026-01-01T10:00:09Z';

function stateOf(status: TenantStatus): Record<string, string> {
  return Object.fromEntries((status.steps ?? []).map((s) => [s.name, s.state]));
}

function step(status: TenantStatus, name: StepName): StepStatus {
  const found = status.steps?.find((s) => s.name === name);
  if (!found) throw new Error(`no step ${name}`);
  return found;
}

/** Everything Ready, including the env Secret as the credentials step writes it. */
function complete(t: Tenant): TenantObserved {
  const observed = allReady(t);
  const env = envSecret(t, observed);
  if (!('secret' in env)) throw new Error(env.waitingFor);
  return { ...observed, secrets: { ...observed.secrets, 'acme-env': env.secret } };
}

function withStatus(t: Tenant, status: TenantStatus): Tenant {
  return { ...t, status };
}

describe('Tenant status', () => {
  it('is Pending with nothing created, every step but namespace waiting for its dependencies', () => {
    const { status, requeueAfterMs } = tenantStatus(tenant(), { children: {}, secrets: {} }, t0);
    expect(status.phase).to.equal('Pending');
    expect(stateOf(status)).to.deep.equal({ namespace: 'Running', couchdb: 'Pending', nats: 'Pending', openwhisk: 'Pending', credentials: 'Pending' });
    expect(step(status, 'couchdb').message).to.equal('waiting for namespace');
    expect(status.stepsSummary).to.equal('0/5');
    expect(status.namespace).to.equal('tenant-acme');
    expect(requeueAfterMs).to.equal(30_000);
  });

  it('starts couchdb and nats together once the namespace is Ready', () => {
    const { status } = tenantStatus(tenant(), { namespace: namespaceObject, children: {}, secrets: {} }, t1);
    expect(status.phase).to.equal('Provisioning');
    expect(stateOf(status)).to.include({ namespace: 'Ready', couchdb: 'Running', nats: 'Running', openwhisk: 'Pending' });
    expect(step(status, 'couchdb').startedAt).to.equal(t1);
    expect(step(status, 'nats').startedAt).to.equal(t1);
    expect(step(status, 'openwhisk').message).to.equal('waiting for couchdb');
    expect(status.stepsSummary).to.equal('1/5');
  });

  it('runs openwhisk as soon as couchdb is Ready, and names the blocking step in Ready', () => {
    const t = tenant();
    const observed: TenantObserved = {
      namespace: namespaceObject,
      children: { couchdb: child(t, 'couchdb', 'Ready'), nats: child(t, 'nats', 'Provisioning', { reason: 'StatefulSetNotReady', message: '0/1 replicas ready' }) },
      secrets: {},
    };
    const { status, blocking } = tenantStatus(t, observed, t1);
    expect(stateOf(status)).to.include({ couchdb: 'Ready', nats: 'Running', openwhisk: 'Running', credentials: 'Pending' });
    expect(blocking).to.equal('nats');
    const ready = findCondition(status.conditions, 'Ready');
    expect(ready).to.include({ status: 'False', reason: 'NatsNotReady' });
    expect(ready?.message).to.equal('step nats: NatsCluster tenant-acme/acme: StatefulSetNotReady: 0/1 replicas ready');
  });

  it('reports a waiting OpenWhisk as Waiting', () => {
    const t = tenant();
    const observed = allReady(t);
    observed.children.openwhisk = child(t, 'openwhisk', 'Waiting', { reason: 'CouchDBNotReady', message: 'CouchDB acme is not Ready' });
    const { status } = tenantStatus(t, observed, t1);
    expect(step(status, 'openwhisk').state).to.equal('Waiting');
    expect(findCondition(status.conditions, 'Ready')?.reason).to.equal('OpenWhiskWaiting');
  });

  it('is Ready 5/5 with endpoints and the credentials Secret; keeps step timings across reconciles', () => {
    const t = tenant();
    const first = tenantStatus(t, complete(t), t1).status;
    expect(first.phase).to.equal('Ready');
    expect(first.stepsSummary).to.equal('5/5');
    expect(first.credentialsSecret).to.equal('acme-env');
    expect(first.endpoints).to.deep.equal({
      couchdb: 'http://acme-couchdb.tenant-acme.svc:5984',
      nats: 'nats://acme-nats.tenant-acme.svc:4222',
      openwhisk: 'http://acme-openwhisk.tenant-acme.svc:3233',
    });
    expect(findCondition(first.conditions, 'Ready')).to.include({ status: 'True', reason: 'Ready' });
    const second = tenantStatus(withStatus(t, first), complete(t), t2);
    expect(second.status.steps).to.deep.equal(first.steps);
    expect(second.requeueAfterMs).to.equal(undefined);
    expect(findCondition(second.status.conditions, 'Ready')?.lastTransitionTime).to.equal(t1);
  });

  it('waits for the credentials Secret to hold the current values', () => {
    const t = tenant();
    const observed = complete(t);
    const stale = envSecret(t, { ...observed, secrets: { ...observed.secrets, 'acme-nats-user-acme': { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, data: { username: 'YQ==', password: 'Yg==' } } } });
    if (!('secret' in stale)) throw new Error('no secret');
    const { status } = tenantStatus(t, { ...observed, secrets: { ...observed.secrets, 'acme-env': stale.secret } }, t1);
    expect(step(status, 'credentials')).to.include({ state: 'Running' });
    expect(step(status, 'credentials').message).to.match(/updating Secret acme-env \(NATS_USER changed\)/);
  });

  it('fails with the child reason and message, and recovers when the child does', () => {
    const t = tenant();
    const failing = allReady(t);
    failing.children.couchdb = child(t, 'couchdb', 'Failed', { reason: 'InitJobFailed', message: 'init Job acme-couchdb-init-1 failed' });
    const failed = tenantStatus(t, failing, t1).status;
    expect(failed.phase).to.equal('Failed');
    expect(step(failed, 'couchdb').state).to.equal('Failed');
    const ready = findCondition(failed.conditions, 'Ready');
    expect(ready).to.include({ status: 'False', reason: 'CouchDBFailed' });
    expect(ready?.message).to.equal('step couchdb: CouchDB tenant-acme/acme failed: InitJobFailed: init Job acme-couchdb-init-1 failed');
    const recovered = tenantStatus(withStatus(t, failed), complete(t), t2).status;
    expect(recovered.phase).to.equal('Ready');
    expect(step(recovered, 'couchdb').readyAt).to.equal(t2);
  });

  it('goes back to Provisioning while a child processes a new generation', () => {
    const t = tenant();
    const done = tenantStatus(t, complete(t), t1).status;
    const observed = complete(t);
    observed.children.couchdb = child(t, 'couchdb', 'Ready', { generation: 2, observedGeneration: 1 });
    const { status } = tenantStatus(withStatus(t, done), observed, t2);
    expect(status.phase).to.equal('Provisioning');
    expect(step(status, 'couchdb')).to.include({ state: 'Running', startedAt: t1 });
    expect(step(status, 'couchdb').readyAt).to.equal(undefined);
    expect(step(status, 'couchdb').message).to.match(/process generation 2/);
    expect(step(status, 'openwhisk').state).to.equal('Ready');
  });

  it('skips disabled steps and counts only the enabled ones', () => {
    const t = tenant({ nats: { enabled: false } });
    const observed = complete(t);
    delete observed.children.nats;
    const env = envSecret(t, observed);
    if (!('secret' in env)) throw new Error(env.waitingFor);
    observed.secrets = { ...observed.secrets, 'acme-env': env.secret };
    const { status } = tenantStatus(t, observed, t1);
    expect(step(status, 'nats')).to.deep.equal({ name: 'nats', state: 'Skipped', message: 'disabled (spec.nats.enabled is false)' });
    expect(status.phase).to.equal('Ready');
    expect(status.stepsSummary).to.equal('4/4');
  });

  it('shows a disabled step whose child still exists as Deleting', () => {
    const t = tenant({ openwhisk: { enabled: false } });
    const { status } = tenantStatus(t, complete(tenant()), t1);
    expect(step(status, 'openwhisk').state).to.equal('Deleting');
    expect(step(status, 'openwhisk').message).to.match(/^disabled .*deleting what it created/);
    expect(status.phase).to.equal('Provisioning');
  });

  it('sets Degraded naming a step stuck past its deadline', () => {
    const t = tenant();
    const observed: TenantObserved = { namespace: namespaceObject, children: { couchdb: child(t, 'couchdb', 'Provisioning'), nats: child(t, 'nats', 'Ready') }, secrets: {} };
    const started = tenantStatus(t, observed, t0).status;
    const later = tenantStatus(withStatus(t, started), observed, '2026-01-01T10:20:00Z', { stuckAfterMs: 60_000 }).status;
    const degraded = findCondition(later.conditions, 'Degraded');
    expect(degraded).to.include({ status: 'True', reason: 'StepStuck' });
    expect(degraded?.message).to.match(/^step couchdb has not been Ready for more than 60 s/);
    expect(findCondition(started.conditions, 'Degraded')?.status).to.equal('False');
  });

  it('reports deletion: Deleting phase, present steps Deleting, gone ones Deleted', () => {
    const t = tenant({}, { deletionTimestamp: t2 });
    const observed = complete(t);
    delete observed.children.openwhisk;
    const secrets = { ...observed.secrets };
    delete secrets['acme-env'];
    const { status, blocking } = tenantStatus(t, { ...observed, secrets }, t2);
    expect(status.phase).to.equal('Deleting');
    expect(stateOf(status)).to.deep.equal({ namespace: 'Deleting', couchdb: 'Deleting', nats: 'Deleting', openwhisk: 'Deleted', credentials: 'Deleted' });
    expect(blocking).to.equal('nats');
    expect(findCondition(status.conditions, 'Ready')?.reason).to.equal('Deleting');
  });

  it('lists step transitions for Events', () => {
    const t = tenant();
    const before = tenantStatus(t, { namespace: namespaceObject, children: {}, secrets: {} }, t0).status;
    const after = tenantStatus(withStatus(t, before), { namespace: namespaceObject, children: { couchdb: child(t, 'couchdb', 'Ready') }, secrets: {} }, t1).status;
    expect(stepTransitions(before, after).map((x) => `${x.step}:${x.from ?? '-'}→${x.to}`)).to.deep.equal(['couchdb:Running→Ready', 'openwhisk:Pending→Running']);
    expect(stepTransitions(undefined, before).length).to.equal(5);
  });
});
