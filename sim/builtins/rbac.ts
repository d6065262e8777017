/**
 * rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding, ClusterRoleBinding: subject defaults and validation
 * (rules need verbs and API groups; roleRef is required, well-formed and immutable).
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { Cause } from '#sim/types.ts';
import { invalidValue, notSupported, required } from './causes.ts';
import { isObject, jsonEqual, objects, setDefault } from './json.ts';

const rbacGroup = 'rbac.authorization.k8s.io';

/** Validates the rules of a Role or ClusterRole. */
export function validateRole(obj: KubeObject): Cause[] {
  const causes: Cause[] = [];
  objects(obj.rules).forEach((rule, i) => {
    const at = `rules[${i}]`;
    const list = (k: string): unknown[] => (Array.isArray(rule[k]) ? rule[k] : []);
    if (list('verbs').length === 0) causes.push(required(`${at}.verbs`, 'verbs must contain at least one value'));
    const hasResources = list('resources').length > 0;
    const hasUrls = list('nonResourceURLs').length > 0;
    if (hasUrls && obj.kind === 'Role') causes.push(invalidValue(`${at}.nonResourceURLs`, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
    if (hasUrls && hasResources) causes.push(invalidValue(`${at}.nonResourceURLs`, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
    if (!hasUrls && list('apiGroups').length === 0) causes.push(required(`${at}.apiGroups`, 'resource rules must supply at least one api group'));
    if (!hasUrls && !hasResources) causes.push(required(`${at}.resources`, 'resource rules must supply at least one resource'));
  });
  return causes;
}

/** Subject defaults: User and Group subjects name the RBAC API group. */
export function defaultBinding(obj: KubeObject): void {
  for (const s of objects(obj.subjects)) {
    if (s.kind === 'User' || s.kind === 'Group') setDefault(s, 'apiGroup', rbacGroup);
    if (s.kind === 'ServiceAccount') setDefault(s, 'apiGroup', '');
  }
}

/** Validates a RoleBinding or ClusterRoleBinding; `old` is the stored object on update. */
export function validateBinding(obj: KubeObject, old: KubeObject | undefined): Cause[] {
  const causes: Cause[] = [];
  const ref = isObject(obj.roleRef) ? obj.roleRef : undefined;
  const allowedKinds = obj.kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!ref) causes.push(required('roleRef'));
  else {
    if (ref.apiGroup !== rbacGroup) causes.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [rbacGroup]));
    if (typeof ref.kind !== 'string' || !allowedKinds.includes(ref.kind)) causes.push(notSupported('roleRef.kind', ref.kind ?? '', allowedKinds));
    if (typeof ref.name !== 'string' || ref.name === '') causes.push(required('roleRef.name'));
  }
  objects(obj.subjects).forEach((s, i) => {
    const at = `subjects[${i}]`;
    if (typeof s.name !== 'string' || s.name === '') causes.push(required(`${at}.name`));
    if (s.kind !== 'ServiceAccount' && s.kind !== 'User' && s.kind !== 'Group') {
      causes.push(notSupported(`${at}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    }
    if (s.kind === 'ServiceAccount' && obj.kind === 'ClusterRoleBinding' && (typeof s.namespace !== 'string' || s.namespace === '')) {
      causes.push(required(`${at}.namespace`));
    }
  });
  if (old && !jsonEqual(old.roleRef, obj.roleRef)) causes.push(invalidValue('roleRef', obj.roleRef, 'cannot change roleRef'));
  return causes;
}
