import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { StatusError } from '#sim/types.ts';
import { adminUser, authenticate, authorize, impersonate, mintToken, requestVerb, TokenAuthority } from './index.ts';
import type { RbacKind, RbacLister } from './index.ts';

function lister(objects: KubeObject[]): RbacLister {
  return (kind: RbacKind, namespace?: string) => objects.filter((o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace));
}

const role: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'cm-reader', namespace: 'c-rbac-role' },
  rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }] };
const binding: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'reader-binding', namespace: 'c-rbac-role' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'c-rbac-role' }] };

describe('auth: authentication', () => {
  it('no Authorization header is the admin; a minted token is the ServiceAccount; a bad one is 401', () => {
    expect(authenticate({}).groups).to.include('system:masters');
    const user = authenticate({ authorization: `Bearer ${mintToken('ns1', 'robot')}` });
    expect(user.username).to.equal('system:serviceaccount:ns1:robot');
    expect(user.groups).to.deep.equal(['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated']);
    for (const header of ['Bearer not-a-token', 'Basic abc', `Bearer ${new TokenAuthority().mint('ns1', 'robot').token}`]) {
      try {
        authenticate({ authorization: header });
        expect.fail(`accepted ${header}`);
      } catch (err) {
        expect(err).to.be.instanceOf(StatusError);
        expect((err as StatusError).body).to.deep.equal({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
      }
    }
  });

  it('expired tokens and tokens of deleted ServiceAccounts are rejected', () => {
    const authority = new TokenAuthority();
    const expired = authority.mint('ns', 'sa', { expirationSeconds: -1 }).token;
    expect(() => authenticate({ authorization: `Bearer ${expired}` }, { authority })).to.throw('Unauthorized');
    const token = authority.mint('ns', 'sa', { uid: 'u1' }).token;
    expect(authenticate({ authorization: `Bearer ${token}` }, { authority, serviceAccountUid: () => 'u1' }).uid).to.equal('u1');
    expect(() => authenticate({ authorization: `Bearer ${token}` }, { authority, serviceAccountUid: () => undefined })).to.throw('Unauthorized');
    expect(() => authenticate({ authorization: `Bearer ${token}` }, { authority, serviceAccountUid: () => 'u2' })).to.throw('Unauthorized');
  });
});

describe('auth: RBAC authorization (recorded 403 messages)', () => {
  const reader = authenticate({ authorization: `Bearer ${mintToken('c-rbac-role', 'reader')}` });

  it('denies with the real message shapes, then allows once bound', () => {
    const none = lister([]);
    expect(authorize(reader, { verb: 'list', group: '', resource: 'configmaps', namespace: 'c-rbac-role' }, none)).to.deep.equal({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403, details: { kind: 'configmaps' },
      message: 'configmaps is forbidden: User "system:serviceaccount:c-rbac-role:reader" cannot list resource "configmaps" in API group "" in the namespace "c-rbac-role"',
    });
    expect(authorize(reader, { verb: 'get', group: '', resource: 'configmaps', namespace: 'default', name: 'kube-root-ca.crt' }, none)).to.deep.include({
      message: 'configmaps "kube-root-ca.crt" is forbidden: User "system:serviceaccount:c-rbac-role:reader" cannot get resource "configmaps" in API group "" in the namespace "default"',
      details: { name: 'kube-root-ca.crt', kind: 'configmaps' },
    });
    const bound = lister([role, binding]);
    expect(authorize(reader, { verb: 'list', group: '', resource: 'configmaps', namespace: 'c-rbac-role' }, bound)).to.equal(undefined);
    expect(authorize(reader, { verb: 'get', group: '', resource: 'configmaps', namespace: 'c-rbac-role', name: 'visible' }, bound)).to.equal(undefined);
    expect(authorize(reader, { verb: 'create', group: '', resource: 'configmaps', namespace: 'c-rbac-role' }, bound)?.message)
      .to.equal('configmaps is forbidden: User "system:serviceaccount:c-rbac-role:reader" cannot create resource "configmaps" in API group "" in the namespace "c-rbac-role"');
    expect(authorize(reader, { verb: 'get', group: '', resource: 'configmaps', namespace: 'other', name: 'x' }, bound)).to.not.equal(undefined);
  });

  it('cluster scope, namespaces "in the namespace", groups in messages and details', () => {
    const watcher = authenticate({ authorization: `Bearer ${mintToken('c-rbac-cluster', 'watcher')}` });
    expect(authorize(watcher, { verb: 'list', group: '', resource: 'namespaces' }, lister([]))?.message)
      .to.equal('namespaces is forbidden: User "system:serviceaccount:c-rbac-cluster:watcher" cannot list resource "namespaces" in API group "" at the cluster scope');
    const crole: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'c-ns-reader' },
      rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list'] }] };
    const crb: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'c-ns-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'c-ns-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'watcher', namespace: 'c-rbac-cluster' }] };
    const list = lister([crole, crb]);
    expect(authorize(watcher, { verb: 'list', group: '', resource: 'namespaces' }, list)).to.equal(undefined);
    expect(authorize(watcher, { verb: 'delete', group: '', resource: 'namespaces', name: 'c-rbac-cluster' }, list)).to.deep.equal({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403, details: { name: 'c-rbac-cluster', kind: 'namespaces' },
      message: 'namespaces "c-rbac-cluster" is forbidden: User "system:serviceaccount:c-rbac-cluster:watcher" cannot delete resource "namespaces" in API group "" in the namespace "c-rbac-cluster"',
    });
    expect(authorize(watcher, { verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'status', namespace: 'n', name: 'd' }, list)).to.deep.include({
      message: 'deployments.apps "d" is forbidden: User "system:serviceaccount:c-rbac-cluster:watcher" cannot patch resource "deployments/status" in API group "apps" in the namespace "n"',
      details: { name: 'd', group: 'apps', kind: 'deployments' },
    });
  });

  it('wildcards, subresources, resourceNames, ClusterRole via RoleBinding, groups and cluster-admin', () => {
    const sa = authenticate({ authorization: `Bearer ${mintToken('ns', 'op')}` });
    const crole = (name: string, rules: unknown[]): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules });
    const rb = (name: string, roleName: string, subject: unknown): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace: 'ns' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName }, subjects: [subject] });
    const list = lister([
      crole('status-writer', [{ apiGroups: ['*'], resources: ['*/status'], verbs: ['patch'] }]),
      crole('one-secret', [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['mine'], verbs: ['get'] }]),
      rb('a', 'status-writer', { kind: 'ServiceAccount', name: 'op' }),
      rb('b', 'one-secret', { kind: 'Group', name: 'system:serviceaccounts:ns' }),
    ]);
    expect(authorize(sa, { verb: 'patch', group: 'nimbus.dev', resource: 'tenants', subresource: 'status', namespace: 'ns', name: 't' }, list)).to.equal(undefined);
    expect(authorize(sa, { verb: 'patch', group: 'nimbus.dev', resource: 'tenants', namespace: 'ns', name: 't' }, list)).to.not.equal(undefined);
    expect(authorize(sa, { verb: 'get', group: '', resource: 'secrets', namespace: 'ns', name: 'mine' }, list)).to.equal(undefined);
    expect(authorize(sa, { verb: 'get', group: '', resource: 'secrets', namespace: 'ns', name: 'other' }, list)).to.not.equal(undefined);
    expect(authorize(sa, { verb: 'list', group: '', resource: 'secrets', namespace: 'ns' }, list)).to.not.equal(undefined);
    const admin = lister([{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'x' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'op', namespace: 'ns' }] }]);
    expect(authorize(sa, { verb: 'deletecollection', group: 'apps', resource: 'statefulsets', namespace: 'any' }, admin)).to.equal(undefined);
    expect(authorize(sa, { verb: 'get', group: '', resource: '', path: '/version' }, lister([]))).to.equal(undefined);
  });

  it('maps HTTP methods to verbs', () => {
    expect([requestVerb('GET', true, false), requestVerb('GET', false, false), requestVerb('GET', false, true), requestVerb('POST', false, false),
      requestVerb('PUT', true, false), requestVerb('PATCH', true, false), requestVerb('DELETE', true, false), requestVerb('DELETE', false, false)])
      .to.deep.equal(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']);
  });

  it('impersonation: admins may act as a ServiceAccount (kubectl --as), ServiceAccounts may not', () => {
    const as = impersonate(adminUser, { 'impersonate-user': 'system:serviceaccount:ns:op' }, lister([]));
    expect(as).to.deep.equal({ username: 'system:serviceaccount:ns:op', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'] });
    const sa = authenticate({ authorization: `Bearer ${mintToken('ns', 'op')}` });
    expect(impersonate(sa, {}, lister([]))).to.equal(sa);
    try {
      impersonate(sa, { 'impersonate-user': 'admin', 'impersonate-group': 'system:masters' }, lister([]));
      expect.fail('impersonated');
    } catch (err) {
      expect((err as StatusError).body.message).to.equal('users "admin" is forbidden: User "system:serviceaccount:ns:op" cannot impersonate resource "users" in API group "" at the cluster scope');
    }
  });
});
