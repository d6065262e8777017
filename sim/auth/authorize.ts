/**
 * The RBAC authorizer: ClusterRoleBindings grant everywhere, RoleBindings in their namespace (to a Role of that
 * namespace or a ClusterRole), `system:masters` may do anything. A denial is the real 403 Forbidden Status.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { StatusBody } from '#sim/types.ts';
import type { UserInfo } from './authenticate.ts';
import { authenticatedClusterRoles, bootstrapClusterRoles } from './bootstrap.ts';
import { ruleAllows, rulesOf } from './rules.ts';
import type { PolicyRule, RequestAttributes } from './rules.ts';

/** The four RBAC kinds the authorizer reads. */
export type RbacKind = 'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding';

/**
 * Lists the stored RBAC objects of a kind; for Role/RoleBinding, only those of `namespace`. Called on every
 * authorization, so it should read an in-memory index (no copies needed: the authorizer never mutates).
 */
export type RbacLister = (kind: RbacKind, namespace?: string) => readonly KubeObject[];

function subjectMatches(subject: unknown, user: UserInfo, bindingNamespace: string | undefined): boolean {
  if (typeof subject !== 'object' || subject === null) return false;
  const s = subject as { kind?: unknown; name?: unknown; namespace?: unknown };
  if (typeof s.name !== 'string') return false;
  switch (s.kind) {
    case 'User': return s.name === user.username;
    case 'Group': return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = typeof s.namespace === 'string' && s.namespace !== '' ? s.namespace : bindingNamespace;
      return ns !== undefined && user.username === `system:serviceaccount:${ns}:${s.name}`;
    }
    default: return false;
  }
}

function bindingApplies(binding: KubeObject, user: UserInfo): boolean {
  const subjects = Array.isArray(binding.subjects) ? binding.subjects : [];
  return subjects.some((s) => subjectMatches(s, user, binding.metadata.namespace));
}

function roleRef(binding: KubeObject): { kind: string; name: string } | undefined {
  const ref = binding.roleRef as { kind?: unknown; name?: unknown } | undefined;
  return typeof ref?.kind === 'string' && typeof ref.name === 'string' ? { kind: ref.kind, name: ref.name } : undefined;
}

function clusterRoleRules(name: string, list: RbacLister): PolicyRule[] {
  const stored = list('ClusterRole').find((r) => r.metadata.name === name);
  if (stored) return rulesOf(stored);
  return bootstrapClusterRoles.get(name) ?? [];
}

/** True when RBAC (or `system:masters`) allows the request. */
export function isAllowed(user: UserInfo, attrs: RequestAttributes, list: RbacLister): boolean {
  if (user.groups.includes('system:masters')) return true;
  const allows = (rules: PolicyRule[]): boolean => rules.some((r) => ruleAllows(r, attrs));
  if (user.groups.includes('system:authenticated')) {
    if (authenticatedClusterRoles.some((name) => allows(bootstrapClusterRoles.get(name) ?? []))) return true;
  }
  for (const crb of list('ClusterRoleBinding')) {
    const ref = roleRef(crb);
    if (ref?.kind === 'ClusterRole' && bindingApplies(crb, user) && allows(clusterRoleRules(ref.name, list))) return true;
  }
  const ns = attrs.namespace;
  if (!ns || !attrs.resource) return false;
  for (const rb of list('RoleBinding', ns)) {
    if (rb.metadata.namespace !== ns || !bindingApplies(rb, user)) continue;
    const ref = roleRef(rb);
    if (!ref) continue;
    const rules = ref.kind === 'ClusterRole'
      ? clusterRoleRules(ref.name, list)
      : rulesOf(list('Role', ns).find((r) => r.metadata.name === ref.name && r.metadata.namespace === ns) ?? { apiVersion: '', kind: '', metadata: {} });
    if (allows(rules)) return true;
  }
  return false;
}

/** The attributes as the real RequestInfo builds them: a request on a Namespace object is "in" that namespace. */
export function normalizeAttributes(attrs: RequestAttributes): RequestAttributes {
  if (attrs.resource === 'namespaces' && attrs.group === '' && attrs.name && !attrs.namespace) {
    return { ...attrs, namespace: attrs.name };
  }
  return attrs;
}

/** The 403 body for a denied request, worded like `responsewriters.Forbidden`. */
export function forbiddenStatus(user: UserInfo, attrs: RequestAttributes): StatusBody {
  const base = { kind: 'Status' as const, apiVersion: 'v1' as const, metadata: {}, status: 'Failure' as const, reason: 'Forbidden', code: 403 };
  if (!attrs.resource) {
    return { ...base, message: `forbidden: User "${user.username}" cannot ${attrs.verb} path "${attrs.path ?? ''}"`, details: {} };
  }
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  const why = `User "${user.username}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.group}" ${scope}`;
  const qualified = attrs.group ? `${attrs.resource}.${attrs.group}` : attrs.resource;
  const subject = attrs.name ? `${qualified} "${attrs.name}"` : qualified;
  const details: NonNullable<StatusBody['details']> = {};
  if (attrs.name) details.name = attrs.name;
  if (attrs.group) details.group = attrs.group;
  details.kind = attrs.resource;
  return { ...base, message: `${subject} is forbidden: ${why}`, details };
}

/** Authorizes a request: undefined when allowed, else the 403 Forbidden Status body to answer. */
export function authorize(user: UserInfo, attrs: RequestAttributes, list: RbacLister): StatusBody | undefined {
  const normalized = normalizeAttributes(attrs);
  return isAllowed(user, normalized, list) ? undefined : forbiddenStatus(user, normalized);
}
