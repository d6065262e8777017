import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { adminUser, checkEscalation, serviceAccountUser } from './index.ts';
import type { RbacKind, RbacLister } from './index.ts';

function lister(objects: KubeObject[]): RbacLister {
  return (kind: RbacKind, namespace?: string) => objects.filter((o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace));
}

const g = 'rbac.authorization.k8s.io';
const clusterRole = (name: string, rules: unknown[]): KubeObject => ({ apiVersion: `${g}/v1`, kind: 'ClusterRole', metadata: { name }, rules });
const crb = (name: string, role: string): KubeObject => ({ apiVersion: `${g}/v1`, kind: 'ClusterRoleBinding', metadata: { name },
  roleRef: { apiGroup: g, kind: 'ClusterRole', name: role }, subjects: [{ kind: 'ServiceAccount', name: 'op', namespace: 'sys' }] });
const podRole: KubeObject = { apiVersion: `${g}/v1`, kind: 'Role', metadata: { name: 'pods', namespace: 't1' },
  rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete'] }] };

describe('auth: RBAC escalation prevention', () => {
  const op = serviceAccountUser('sys', 'op');

  it('an operator may not create a Role granting what it does not hold', () => {
    const list = lister([clusterRole('op', [{ apiGroups: [g], resources: ['roles'], verbs: ['create'] }]), crb('op', 'op')]);
    const denied = checkEscalation(op, podRole, list);
    expect(denied?.code).to.equal(403);
    expect(denied?.message).to.equal('roles.rbac.authorization.k8s.io "pods" is forbidden: user "system:serviceaccount:sys:op" (groups=["system:serviceaccounts" "system:serviceaccounts:sys" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["create" "delete"]}');
    expect(checkEscalation(adminUser, podRole, list)).to.equal(undefined);
  });

  it('holding the permissions, or escalate / bind, is enough', () => {
    const holds = lister([clusterRole('op', [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }]), crb('op', 'op')]);
    expect(checkEscalation(op, podRole, holds)).to.equal(undefined);
    const escalate = lister([clusterRole('op', [{ apiGroups: [g], resources: ['roles'], verbs: ['escalate'] }]), crb('op', 'op')]);
    expect(checkEscalation(op, podRole, escalate)).to.equal(undefined);
    const binding: KubeObject = { apiVersion: `${g}/v1`, kind: 'RoleBinding', metadata: { name: 'b', namespace: 't1' },
      roleRef: { apiGroup: g, kind: 'Role', name: 'pods' }, subjects: [{ kind: 'ServiceAccount', name: 'x' }] };
    expect(checkEscalation(op, binding, lister([podRole]))?.code).to.equal(403);
    const bind = lister([podRole, clusterRole('op', [{ apiGroups: [g], resources: ['roles'], verbs: ['bind'], resourceNames: ['pods'] }]), crb('op', 'op')]);
    expect(checkEscalation(op, binding, bind)).to.equal(undefined);
  });
});
