/**
 * RBAC privilege-escalation prevention, as the real server enforces it on Role/ClusterRole and (Cluster)RoleBinding
 * writes: a user may only grant permissions it holds itself, unless it has `escalate` on the role (for roles) or
 * `bind` on the referenced role (for bindings). This catches operator manifests that let an operator create a Role it
 * could not create on a real cluster.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { StatusBody } from '#sim/types.ts';
import { StatusError } from '#sim/types.ts';
import type { UserInfo } from './authenticate.ts';
import { isAllowed } from './authorize.ts';
import type { RbacLister } from './authorize.ts';
import { bootstrapClusterRoles } from './bootstrap.ts';
import { rulesOf } from './rules.ts';
import type { PolicyRule, RequestAttributes } from './rules.ts';

const group = 'rbac.authorization.k8s.io';
const plural: Record<string, string> = { Role: 'roles', ClusterRole: 'clusterroles', RoleBinding: 'rolebindings', ClusterRoleBinding: 'clusterrolebindings' };

/** Called with every permission an escalation check looked at and whether the user holds it. */
export type EscalationProbe = (attrs: RequestAttributes, held: boolean) => void;

/** True when `user` holds every permission `rule` grants (in `namespace`, or cluster-wide when undefined). */
function holdsRule(user: UserInfo, rule: PolicyRule, namespace: string | undefined, list: RbacLister, probe?: EscalationProbe): boolean {
  const names = rule.resourceNames.length > 0 ? rule.resourceNames : [undefined];
  let holds = true;
  // Every permission is checked (no early exit), so a probe sees all of those the grant relies on.
  const check = (attrs: RequestAttributes): void => {
    const held = isAllowed(user, attrs, list);
    probe?.(attrs, held);
    if (!held) holds = false;
  };
  for (const verb of rule.verbs) {
    if (rule.nonResourceURLs.length > 0) {
      for (const path of rule.nonResourceURLs) check({ verb, group: '', resource: '', path });
      continue;
    }
    for (const apiGroup of rule.apiGroups) {
      for (const combined of rule.resources) {
        const [resource = '', subresource] = combined.split('/');
        for (const name of names) check({ verb, group: apiGroup, resource, subresource, namespace, name });
      }
    }
  }
  return holds;
}

function ruleText(r: PolicyRule): string {
  const q = (xs: string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
  const parts: string[] = [];
  if (r.apiGroups.length) parts.push(`APIGroups:${q(r.apiGroups)}`);
  if (r.resources.length) parts.push(`Resources:${q(r.resources)}`);
  if (r.resourceNames.length) parts.push(`ResourceNames:${q(r.resourceNames)}`);
  if (r.nonResourceURLs.length) parts.push(`NonResourceURLs:${q(r.nonResourceURLs)}`);
  parts.push(`Verbs:${q(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

function forbidden(obj: KubeObject, message: string): StatusBody {
  const resource = plural[obj.kind] ?? '';
  const name = obj.metadata.name ?? '';
  return {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403,
    message: `${resource}.${group} "${name}" is forbidden: ${message}`,
    details: { name, group, kind: resource },
  };
}

function userText(user: UserInfo): string {
  return `user "${user.username}" (groups=[${user.groups.map((g) => JSON.stringify(g)).join(' ')}])`;
}

/**
 * The rules a binding grants. A missing Role/ClusterRole is a 404, as the real server answers a user without `bind`
 * (only a user allowed to bind may reference a role that does not exist yet).
 */
function referencedRules(binding: KubeObject, list: RbacLister): PolicyRule[] {
  const ref = binding.roleRef as { kind?: unknown; name?: unknown } | undefined;
  const name = typeof ref?.name === 'string' ? ref.name : '';
  if (ref?.kind === 'Role') {
    const role = list('Role', binding.metadata.namespace).find((r) => r.metadata.name === name && r.metadata.namespace === binding.metadata.namespace);
    if (!role) throw roleNotFound('roles', name);
    return rulesOf(role);
  }
  const stored = list('ClusterRole').find((r) => r.metadata.name === name);
  const rules = stored ? rulesOf(stored) : bootstrapClusterRoles.get(name);
  if (!rules) throw roleNotFound('clusterroles', name);
  return rules;
}

function roleNotFound(resource: string, name: string): StatusError {
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404,
    message: `${resource}.${group} "${name}" not found`, details: { name, group, kind: resource },
  });
}

/**
 * Checks a write of an RBAC object by `user`: undefined when allowed, else the 403 body. Call it on create and update
 * (including apply) of Roles, ClusterRoles, RoleBindings and ClusterRoleBindings, after authorization of the verb.
 * Throws the 404 StatusError when a binding (by a user without `bind`) references a role that does not exist.
 * `probe` sees every permission the check relied on (least-privilege tests count them as used).
 */
export function checkEscalation(user: UserInfo, obj: KubeObject, list: RbacLister, probe?: EscalationProbe): StatusBody | undefined {
  if (user.groups.includes('system:masters')) return undefined;
  const namespace = obj.kind === 'Role' || obj.kind === 'RoleBinding' ? obj.metadata.namespace : undefined;
  if (obj.kind === 'Role' || obj.kind === 'ClusterRole') {
    const resource = plural[obj.kind] ?? '';
    if (isAllowed(user, { verb: 'escalate', group, resource, namespace, name: obj.metadata.name }, list)) return undefined;
    const missing = rulesOf(obj).filter((r) => !holdsRule(user, r, namespace, list, probe));
    if (missing.length === 0) return undefined;
    return forbidden(obj, `${userText(user)} is attempting to grant RBAC permissions not currently held:\n${missing.map(ruleText).join('\n')}`);
  }
  if (obj.kind === 'RoleBinding' || obj.kind === 'ClusterRoleBinding') {
    const ref = obj.roleRef as { kind?: unknown; name?: unknown } | undefined;
    const refResource = ref?.kind === 'Role' ? 'roles' : 'clusterroles';
    const refName = typeof ref?.name === 'string' ? ref.name : '';
    if (isAllowed(user, { verb: 'bind', group, resource: refResource, namespace, name: refName }, list)) return undefined;
    const missing = referencedRules(obj, list).filter((r) => !holdsRule(user, r, namespace, list, probe));
    if (missing.length === 0) return undefined;
    return forbidden(obj, `${userText(user)} is attempting to grant RBAC permissions not currently held:\n${missing.map(ruleText).join('\n')}`);
  }
  return undefined;
}
