import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { StatusError } from '#sim/types.ts';
import { thrownBy } from '../../test/helpers/thrown.ts';
import { parseApplyBody, recordUpdate, requireFieldManager, serverSideApply } from './index.ts';

const T0 = new Date('2026-01-01T00:00:00.123Z');
const T1 = new Date('2026-01-01T00:01:00Z');
const cm = (data: Record<string, string>, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', ...(labels ? { labels } : {}) }, data,
});
/** What a store would add on create. */
const stored = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, namespace: 'ns', uid: 'u1', resourceVersion: '5' } });


describe('serverSideApply', () => {
  it('creates with an Apply entry in the real fieldsV1 shape (ssa-create-and-noop)', () => {
    const applied = parseApplyBody('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  labels:\n    owner: alice\ndata:\n  key: value\n  other: "2"\n');
    const out = serverSideApply({ live: undefined, applied, manager: 'alice', force: false, subresource: '', now: T0 });
    expect(out.data).to.deep.equal({ key: 'value', other: '2' });
    expect(out.metadata.managedFields).to.deep.equal([{
      manager: 'alice', operation: 'Apply', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:owner': {} } }, 'f:data': { 'f:key': {}, 'f:other': {} } },
    }]);
  });

  it('the same apply again is deep-equal (a no-op keeps the resourceVersion)', () => {
    const applied = cm({ key: 'value' }, { owner: 'alice' });
    const live = stored(serverSideApply({ live: undefined, applied, manager: 'alice', force: false, subresource: '', now: T0 }));
    const again = serverSideApply({ live, applied, manager: 'alice', force: false, subresource: '', now: T1 });
    expect(again).to.deep.equal(live);
  });

  it('conflicts, force moves ownership, the same value shares it (ssa-conflict-force)', () => {
    const live = stored(serverSideApply({ live: undefined, applied: cm({ key: 'alice' }), manager: 'alice', force: false, subresource: '', now: T0 }));
    const err = thrownBy(StatusError, () => serverSideApply({ live, applied: cm({ key: 'bob' }), manager: 'bob', force: false, subresource: '' }));
    expect(err.body).to.deep.equal({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "alice": .data.key', reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.data.key' }] }, code: 409,
    });
    const forced = serverSideApply({ live, applied: cm({ key: 'bob' }), manager: 'bob', force: true, subresource: '', now: T1 });
    expect(forced.data).to.deep.equal({ key: 'bob' });
    expect(forced.metadata.managedFields).to.have.length(1);
    expect(forced.metadata.managedFields?.[0]).to.include({ manager: 'bob', operation: 'Apply' });
    const back = thrownBy(StatusError, () => serverSideApply({ live: forced, applied: cm({ key: 'alice' }), manager: 'alice', force: false, subresource: '' }));
    expect(back.body.message).to.equal('Apply failed with 1 conflict: conflict with "bob": .data.key');
    const shared = serverSideApply({ live: forced, applied: cm({ key: 'bob' }), manager: 'carol', force: false, subresource: '', now: T1 });
    expect((shared.metadata.managedFields ?? []).map((e) => (e as { manager: string }).manager)).to.deep.equal(['bob', 'carol']);
  });

  it('removes a field the manager stops applying, keeps one another manager set (ssa-remove-unapplied-field)', () => {
    const first = stored(serverSideApply({ live: undefined, applied: cm({ keep: '1', drop: '2' }, { a: '1', b: '2' }), manager: 'op', force: false, subresource: '', now: T0 }));
    const patched = recordUpdate(first, { ...first, data: { keep: '1', drop: '2', manual: 'x' } }, 'kubectl', '', T0);
    const out = serverSideApply({ live: patched, applied: cm({ keep: '1' }, { a: '1' }), manager: 'op', force: false, subresource: '', now: T1 });
    expect(out.data).to.deep.equal({ keep: '1', manual: 'x' });
    expect(out.metadata.labels).to.deep.equal({ a: '1' });
  });

  it('a field also applied by another manager survives its removal by one of them', () => {
    const a = stored(serverSideApply({ live: undefined, applied: cm({ k: 'v', only: 'a' }), manager: 'a', force: false, subresource: '', now: T0 }));
    const ab = serverSideApply({ live: a, applied: cm({ k: 'v' }), manager: 'b', force: false, subresource: '', now: T0 });
    const out = serverSideApply({ live: ab, applied: cm({}), manager: 'a', force: false, subresource: '', now: T1 });
    expect(out.data).to.deep.equal({ k: 'v' });
  });

  it('merges containers by name and conflicts on a keyed path with an Update owner', () => {
    const dep = (containers: unknown[]): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers } } } });
    const created = recordUpdate(undefined, stored(dep([{ name: 'app', image: 'a:1', tty: true }])), 'kubectl-create', '', T0);
    const err = thrownBy(StatusError, () => serverSideApply({ live: created, applied: dep([{ name: 'app', image: 'a:2' }]), manager: 'op', force: false, subresource: '' }));
    expect(err.body.details?.causes?.[0]?.field).to.equal('.spec.template.spec.containers[name="app"].image');
    expect(err.body.message).to.equal('Apply failed with 1 conflict: conflict with "kubectl-create" using apps/v1 at 2026-01-01T00:00:00Z: .spec.template.spec.containers[name="app"].image');
    const out = serverSideApply({ live: created, applied: dep([{ name: 'app', image: 'a:2' }, { name: 'side', image: 's' }]), manager: 'op', force: true, subresource: '', now: T1 });
    expect((out.spec as { template: { spec: { containers: unknown } } }).template.spec.containers).to.deep.equal([
      { name: 'app', image: 'a:2', tty: true }, { name: 'side', image: 's' },
    ]);
  });

  it('status apply has its own entry and does not touch spec ownership (ssa-custom-resource-status)', () => {
    const w = (extra: Record<string, unknown>): KubeObject => ({ apiVersion: 'ssa.c-conformance.example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, ...extra });
    const created = stored(serverSideApply({ live: undefined, applied: w({ spec: { size: 3, color: 'blue' } }), manager: 'user', force: false, subresource: '', now: T0 }));
    const withStatus = serverSideApply({ live: created, applied: w({ status: { phase: 'Ready' } }), manager: 'controller', force: false, subresource: 'status', now: T0 });
    const entries = withStatus.metadata.managedFields as Array<Record<string, unknown>>;
    expect(entries[1]).to.deep.include({ manager: 'controller', subresource: 'status', fieldsV1: { 'f:status': { 'f:phase': {} } } });
    const resized = serverSideApply({ live: withStatus, applied: w({ spec: { size: 4, color: 'blue' } }), manager: 'user', force: false, subresource: '', now: T1 });
    expect(resized.spec).to.deep.equal({ size: 4, color: 'blue' });
    expect(resized.status).to.deep.equal({ phase: 'Ready' });
  });
});

describe('recordUpdate', () => {
  it('records an Update entry on create and keeps a no-op update deep-equal', () => {
    const created = recordUpdate(undefined, stored(cm({ a: '1' })), 'kubectl-create', '', T0);
    expect(created.metadata.managedFields).to.deep.equal([{
      manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { 'f:a': {} } },
    }]);
    expect(recordUpdate(created, created, 'other', '', T1)).to.deep.equal(created);
  });

  it('a changed field moves to the writer', () => {
    const created = recordUpdate(undefined, stored(cm({ a: '1', b: '2' })), 'one', '', T0);
    const out = recordUpdate(created, { ...created, data: { a: '9', b: '2' } }, 'two', '', T1);
    expect((out.metadata.managedFields ?? []).map((e) => (e as { fieldsV1: unknown }).fieldsV1)).to.deep.equal([
      { 'f:data': { 'f:b': {} } }, { 'f:data': { 'f:a': {} } },
    ]);
  });

  it('requireFieldManager is the real 422 on PatchOptions', () => {
    const err = thrownBy(StatusError, () => requireFieldManager(undefined));
    expect(err.body).to.deep.include({ code: 422, reason: 'Invalid' });
    expect(err.body.details).to.deep.include({ group: 'meta.k8s.io', kind: 'PatchOptions' });
    expect(requireFieldManager('m')).to.equal('m');
  });
});
