/** The pure parts of the main operator's reconcile: apply decisions, disabled leftovers, deletion bookkeeping, wiring. */
import { expect } from 'chai';
import { buildEvent } from '#shared/bus/envelope.ts';
import { ConfigError } from '#shared/config/index.ts';
import { contains, isRunnable, mergeDeltas, upToDate } from './apply-steps.ts';
import { tenantOfEvent } from './controller.ts';
import { envSecretName } from './credentials.ts';
import { presentSteps } from './deletion.ts';
import { childResource, envSecret } from './desired.ts';
import type { TenantObserved } from './credentials.ts';
import { disabledCondition, leftovers } from './disable.ts';
import { mainOptionsFromEnv } from './main.ts';
import { observedStepState } from './step-state.ts';
import { allReady, child, tenant } from './testing/fixtures.ts';

/** Everything Ready including the env Secret written for `full`. */
function withEnv(observed: TenantObserved, full = tenant()): TenantObserved {
  const written = envSecret(full, observed);
  if (!('secret' in written)) throw new Error(written.waitingFor);
  return { ...observed, secrets: { ...observed.secrets, [envSecretName(full)]: written.secret } };
}

describe('main operator reconcile parts', () => {
  it('contains: extra fields (CRD defaults) are fine, missing or different ones are not, arrays compare whole', () => {
    expect(contains({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } })).to.equal(true);
    expect(contains({ a: 1 }, { a: 2 })).to.equal(false);
    expect(contains({ a: [1, 2] }, { a: [1] })).to.equal(false);
    expect(contains({ a: [{ x: 1, y: 2 }] }, { a: [{ x: 1 }] })).to.equal(true);
    expect(contains(undefined, { a: 1 })).to.equal(false);
  });

  it('upToDate: a child with the block spec, the labels and the owner reference needs no apply', () => {
    const t = tenant({ couchdb: { databases: ['orders'] } });
    const desired = childResource(t, 'couchdb');
    const stored = { ...desired, spec: { ...(desired['spec'] as object), replicas: 1, image: 'couchdb:3.4.2' } };
    expect(upToDate(stored, desired)).to.equal(true);
    expect(upToDate({ ...stored, spec: { databases: ['other'] } }, desired)).to.equal(false);
    expect(upToDate({ ...stored, metadata: { ...stored.metadata, ownerReferences: [] } }, desired)).to.equal(false);
    expect(upToDate({ ...stored, metadata: { ...stored.metadata, deletionTimestamp: 'now' } }, desired)).to.equal(false);
    expect(upToDate(undefined, desired)).to.equal(false);
  });

  it('merges what parallel steps wrote without one step undoing another', () => {
    const t = tenant();
    const observed = allReady(t);
    const scaled = { ...child(t, 'couchdb', 'Ready', { generation: 2, observedGeneration: 1 }) };
    const natsNew = child(t, 'nats', 'Ready', { generation: 3 });
    const merged = mergeDeltas(observed, [{ children: { couchdb: scaled } }, { children: { nats: natsNew } }, {}]);
    expect(merged.children.couchdb).to.equal(scaled);
    expect(merged.children.nats).to.equal(natsNew);
    expect(merged.children.openwhisk).to.equal(observed.children.openwhisk);
    expect(merged.namespace).to.equal(observed.namespace);
  });

  it('runs Running, Waiting, Failed and Ready steps; never Pending, Skipped or Deleting ones', () => {
    expect(['Running', 'Waiting', 'Failed', 'Ready'].every((s) => isRunnable(s as never))).to.equal(true);
    expect(['Pending', 'Skipped', 'Deleting', 'Deleted'].some((s) => isRunnable(s as never))).to.equal(false);
  });

  it('a disabled block with a child left is a leftover, and the condition says what is being deleted', () => {
    const t = tenant({ openwhisk: { enabled: false } });
    const observed = allReady(tenant());
    expect(leftovers(t, observed)).to.deep.equal(['openwhisk']);
    const condition = disabledCondition(t, observed, 2);
    expect(condition).to.include({ type: 'ComponentsDisabled', status: 'True', reason: 'BlockDisabled', observedGeneration: 2 });
    expect(condition.message).to.contain('openwhisk: disabled (spec.openwhisk.enabled is false); deleting OpenWhisk tenant-acme/acme');
    expect(disabledCondition(tenant(), observed, 1)).to.include({ status: 'False', reason: 'AllEnabled' });
    // Disabling CouchDB takes OpenWhisk (which needs it) along.
    expect(leftovers(tenant({ couchdb: { enabled: false }, openwhisk: { enabled: false } }), observed)).to.deep.equal(['couchdb', 'openwhisk']);
  });

  it('the env Secret is stale while it holds keys of a disabled block', () => {
    const observed = withEnv(allReady(tenant()));
    const t = tenant({ openwhisk: { enabled: false } });
    const { openwhisk: _gone, ...children } = observed.children;
    const state = observedStepState('credentials', t, { ...observed, children }, 'tenant-acme');
    expect(state.state).to.equal('Running');
    expect(state.message).to.contain('OW_APIHOST no longer applies');
  });

  it('deletion counts a retained namespace as gone once it no longer belongs to the tenant', () => {
    const t = tenant({ deletionPolicy: 'Retain' });
    const observed = withEnv(allReady(t), t);
    const owned = { ...observed, namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-acme', ownerReferences: [{ apiVersion: 'nimbus.dev/v1alpha1', kind: 'Tenant', name: 'acme', uid: 'uid-tenant-acme' }] } } };
    expect([...presentSteps(t, owned)].sort()).to.deep.equal(['couchdb', 'credentials', 'namespace', 'nats', 'openwhisk']);
    const released = { namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-acme' } }, children: {}, secrets: {} };
    expect([...presentSteps(t, released)]).to.deep.equal([]);
    expect([...presentSteps(tenant({ deletionPolicy: 'Delete' }), released)]).to.deep.equal(['namespace']);
    expect(observed.secrets[envSecretName(t)]).to.not.equal(undefined);
  });

  it('wakes the tenant named by a component event, ignores tenant events and events without a tenant', () => {
    const cdb = child(tenant(), 'couchdb', 'Ready');
    const event = buildEvent({ source: 'couchdb', object: cdb, phase: 'ready', reason: 'Ready', message: '' });
    expect(tenantOfEvent(event)).to.equal('acme');
    const own = buildEvent({ source: 'main', object: { ...tenant(), metadata: { name: 'acme', labels: { 'nimbus.dev/tenant': 'acme' } } }, phase: 'ready', reason: 'Ready', message: '' });
    expect(tenantOfEvent(own)).to.equal(undefined);
    const stray = buildEvent({ source: 'couchdb', object: { ...cdb, metadata: { ...cdb.metadata, labels: {} } }, phase: 'ready', reason: 'Ready', message: '' });
    expect(tenantOfEvent(stray)).to.equal(undefined);
  });

  it('reads its own settings from the environment and names a bad variable', () => {
    expect(mainOptionsFromEnv({})).to.deep.equal({ requeueMs: 30_000, stuckAfterMs: 600_000 });
    expect(mainOptionsFromEnv({ TENANT_REQUEUE_SECONDS: '5' }).requeueMs).to.equal(5000);
    expect(() => mainOptionsFromEnv({ TENANT_REQUEUE_SECONDS: 'soon' })).to.throw(ConfigError, 'TENANT_REQUEUE_SECONDS');
  });
});
