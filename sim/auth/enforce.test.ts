import { expect } from 'chai';
import { startApiServer } from '#sim/index.ts';
import type { ApiServer } from '#sim/index.ts';
import { describeDecision, mintToken, rbacEnforcement } from './index.ts';
import type { RbacEnforcement } from './index.ts';

const g = 'rbac.authorization.k8s.io';
const user = 'system:serviceaccount:sys:op';

describe('auth: RBAC enforcement over HTTP (write-time checks and the decision log)', () => {
  let sim: ApiServer;
  let rbac: RbacEnforcement;
  let token = '';

  async function send(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ code: number; body: { message?: string } }> {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, 'content-type': contentType } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await fetch(`${sim.url}${path}`, init);
    return { code: res.status, body: await res.json() as { message?: string } };
  }
  const apply = (path: string, body: unknown) => send('PATCH', `${path}?fieldManager=op`, body, 'application/apply-patch+yaml');
  function grant(rules: unknown[]): void {
    const ref = { apiVersion: `${g}/v1`, kind: 'ClusterRole', name: 'op' };
    const live = sim.store.get(ref);
    if (live) sim.store.update({ ...live, rules });
    else sim.store.create({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: 'op' }, rules });
  }

  before(async () => {
    rbac = rbacEnforcement();
    sim = await startApiServer({ quiet: true, kubelet: false, ...rbac.serverOptions });
    for (const name of ['sys', 't1']) sim.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    const sa = sim.store.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'op', namespace: 'sys' } });
    sim.store.create({ apiVersion: `${g}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'op' },
      roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'op' }, subjects: [{ kind: 'ServiceAccount', name: 'op', namespace: 'sys' }] });
    token = mintToken('sys', 'op', { uid: sa.metadata.uid ?? '' });
  });
  after(async () => { await sim.stop(); });
  beforeEach(() => rbac.log.clear());

  it('server-side apply that creates an object needs create as well as patch', async () => {
    grant([{ apiGroups: [''], resources: ['configmaps'], verbs: ['patch'] }]);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', namespace: 't1' }, data: { a: '1' } };
    const refused = await apply('/api/v1/namespaces/t1/configmaps/c1', cm);
    expect(refused.code).to.equal(403);
    expect(refused.body.message).to.equal(`configmaps "c1" is forbidden: User "${user}" cannot create resource "configmaps" in API group "" in the namespace "t1"`);
    expect(rbac.log.denied().map(describeDecision)).to.deep.equal([`${user} DENIED create core/configmaps t1/c1 (apply-create): ${refused.body.message ?? ''}`]);
    grant([{ apiGroups: [''], resources: ['configmaps'], verbs: ['patch', 'create'] }]);
    expect((await apply('/api/v1/namespaces/t1/configmaps/c1', cm)).code).to.equal(201);
    // Applying again updates: patch alone is checked.
    rbac.log.clear();
    expect((await apply('/api/v1/namespaces/t1/configmaps/c1', { ...cm, data: { a: '2' } })).code).to.equal(200);
    expect(rbac.log.allowed(user).map((d) => `${d.verb}/${d.source}`)).to.deep.equal(['patch/request']);
  });

  it('creating a Role needs every permission it grants (escalation prevention), and those count as used', async () => {
    const role = { apiVersion: `${g}/v1`, kind: 'Role', metadata: { name: 'runner', namespace: 't1' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete'] }] };
    grant([{ apiGroups: [g], resources: ['roles'], verbs: ['create'] }, { apiGroups: [''], resources: ['pods'], verbs: ['create'] }]);
    const refused = await send('POST', `/apis/${g}/v1/namespaces/t1/roles`, role);
    expect(refused.code).to.equal(403);
    expect(refused.body.message).to.contain('is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["create" "delete"]}');
    expect(rbac.log.denied().map((d) => `${d.verb} ${d.resource} ${d.source}`)).to.deep.equal(['delete pods escalation', 'create roles escalation']);
    grant([{ apiGroups: [g], resources: ['roles'], verbs: ['create'] }, { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete'] }]);
    rbac.log.clear();
    expect((await send('POST', `/apis/${g}/v1/namespaces/t1/roles`, role)).code).to.equal(201);
    expect(rbac.log.allowed(user).map((d) => `${d.verb} ${d.resource} ${d.source}`))
      .to.deep.equal(['create roles request', 'create pods escalation', 'delete pods escalation']);
  });

  it('a binding to a role that does not exist is a 404 for a user without bind', async () => {
    grant([{ apiGroups: [g], resources: ['rolebindings'], verbs: ['create'] }]);
    const binding = { apiVersion: `${g}/v1`, kind: 'RoleBinding', metadata: { name: 'b', namespace: 't1' },
      roleRef: { apiGroup: g, kind: 'Role', name: 'missing' }, subjects: [{ kind: 'ServiceAccount', name: 'x', namespace: 't1' }] };
    const refused = await send('POST', `/apis/${g}/v1/namespaces/t1/rolebindings`, binding);
    expect(refused.code).to.equal(404);
    expect(refused.body.message).to.equal('roles.rbac.authorization.k8s.io "missing" not found');
    expect(rbac.log.denied()).to.have.length(1);
  });

  it('in-process writes (the sim itself, the test as admin) are not checked', async () => {
    grant([]);
    sim.store.create({ apiVersion: `${g}/v1`, kind: 'Role', metadata: { name: 'free', namespace: 't1' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] });
    expect(rbac.log.decisions()).to.deep.equal([]);
  });
});

describe('auth: OwnerReferencesPermissionEnforcement (opt-in)', () => {
  let sim: ApiServer;
  let token = '';
  const owner = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: 't1' } };

  before(async () => {
    const rbac = rbacEnforcement({ ownerReferencesPermissionEnforcement: true });
    sim = await startApiServer({ quiet: true, kubelet: false, ...rbac.serverOptions });
    sim.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't1' } });
    const sa = sim.store.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'op', namespace: 't1' } });
    sim.store.create({ apiVersion: `${g}/v1`, kind: 'Role', metadata: { name: 'op', namespace: 't1' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['create'] }] });
    sim.store.create({ apiVersion: `${g}/v1`, kind: 'RoleBinding', metadata: { name: 'op', namespace: 't1' },
      roleRef: { apiGroup: g, kind: 'Role', name: 'op' }, subjects: [{ kind: 'ServiceAccount', name: 'op' }] });
    token = mintToken('t1', 'op', { uid: sa.metadata.uid ?? '' });
  });
  after(async () => { await sim.stop(); });

  it('an ownerReference needs delete on the object; blockOwnerDeletion needs update on the owner finalizers', async () => {
    const uid = sim.store.create(owner).metadata.uid ?? '';
    const post = async (name: string) => (await fetch(`${sim.url}/api/v1/namespaces/t1/secrets`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid, blockOwnerDeletion: true }] } }),
    })).json() as { code?: number; message?: string };
    expect((await post('s1')).message).to.contain('cannot delete resource "secrets"');
    const role = sim.store.get({ apiVersion: `${g}/v1`, kind: 'Role', namespace: 't1', name: 'op' });
    if (!role) throw new Error('no role');
    sim.store.update({ ...role, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['create', 'delete'] }] });
    expect((await post('s2')).message).to.contain('cannot update resource "configmaps/finalizers"');
    sim.store.update({ ...sim.store.get({ apiVersion: `${g}/v1`, kind: 'Role', namespace: 't1', name: 'op' }) ?? role,
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['create', 'delete'] }, { apiGroups: [''], resources: ['configmaps/finalizers'], verbs: ['update'] }] });
    expect(await post('s3')).to.include({ kind: 'Secret' });
  });
});
