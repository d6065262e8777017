/**
 * The part of the real bootstrap RBAC policy that matters here: every authenticated user may read discovery and
 * version information and review its own access (system:discovery, system:basic-user, system:public-info-viewer),
 * and the well-known `cluster-admin` ClusterRole exists, so manifests that bind to it work. A ClusterRole of the same
 * name in the store wins over these.
 */
import type { PolicyRule } from './rules.ts';

const rule = (r: Partial<PolicyRule>): PolicyRule => ({ verbs: [], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [], ...r });

/** Built-in ClusterRoles by name. */
export const bootstrapClusterRoles: ReadonlyMap<string, PolicyRule[]> = new Map([
  ['cluster-admin', [rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }), rule({ verbs: ['*'], nonResourceURLs: ['*'] })]],
  ['system:discovery', [rule({ verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] })]],
  ['system:public-info-viewer', [rule({ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] })]],
  ['system:basic-user', [rule({ verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] })]],
]);

/** ClusterRoles every authenticated user holds (the bootstrap ClusterRoleBindings to system:authenticated). */
export const authenticatedClusterRoles = ['system:discovery', 'system:public-info-viewer', 'system:basic-user'] as const;
