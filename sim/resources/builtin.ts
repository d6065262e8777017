/**
 * The built-in resources the sim serves, with the discovery attributes (verbs, shortNames, categories) a real
 * kube-apiserver v1.24 reports for them.
 */
import type { ResourceInfo } from '#sim/types.ts';

/** The eight verbs of an ordinary collection. */
export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** Verbs of a `/status` subresource. */
export const STATUS_VERBS = ['get', 'patch', 'update'];

function r(group: string, version: string, name: string, kind: string, namespaced: boolean,
  extra: Partial<Pick<ResourceInfo, 'verbs' | 'shortNames' | 'categories' | 'subresources'>> = {}): ResourceInfo {
  const info: ResourceInfo = {
    group, version, name, kind, namespaced,
    singularName: kind.toLowerCase(),
    verbs: extra.verbs ?? ALL_VERBS,
    subresources: extra.subresources ?? [],
  };
  if (extra.shortNames) info.shortNames = extra.shortNames;
  if (extra.categories) info.categories = extra.categories;
  return info;
}

/** Every built-in resource, in discovery order within a group version. */
export const BUILTIN_RESOURCES: ResourceInfo[] = [
  r('', 'v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  r('', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  r('', 'v1', 'namespaces', 'Namespace', false, {
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'], subresources: ['status'],
  }),
  r('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, { shortNames: ['pvc'], subresources: ['status'] }),
  r('', 'v1', 'pods', 'Pod', true, { shortNames: ['po'], categories: ['all'], subresources: ['status'] }),
  r('', 'v1', 'resourcequotas', 'ResourceQuota', true, { shortNames: ['quota'], subresources: ['status'] }),
  r('', 'v1', 'secrets', 'Secret', true),
  r('', 'v1', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'], subresources: ['token'] }),
  r('', 'v1', 'services', 'Service', true, { shortNames: ['svc'], categories: ['all'], subresources: ['status'] }),
  r('apps', 'v1', 'deployments', 'Deployment', true, { shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'] }),
  r('apps', 'v1', 'statefulsets', 'StatefulSet', true, { shortNames: ['sts'], categories: ['all'], subresources: ['status', 'scale'] }),
  r('batch', 'v1', 'jobs', 'Job', true, { categories: ['all'], subresources: ['status'] }),
  r('batch', 'v1', 'cronjobs', 'CronJob', true, { shortNames: ['cj'], categories: ['all'], subresources: ['status'] }),
  // The older versions a 1.24 server still lists in /apis (same storage as the v1 resources).
  r('batch', 'v1beta1', 'cronjobs', 'CronJob', true, { shortNames: ['cj'], categories: ['all'], subresources: ['status'] }),
  r('events.k8s.io', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  r('events.k8s.io', 'v1beta1', 'events', 'Event', true, { shortNames: ['ev'] }),
  r('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, { shortNames: ['netpol'] }),
  r('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  r('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  r('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  r('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  r('coordination.k8s.io', 'v1', 'leases', 'Lease', true),
  r('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, {
    shortNames: ['crd', 'crds'], categories: ['api-extensions'], subresources: ['status'],
  }),
];

/** Resources whose objects carry `metadata.generation` (bumped on spec changes). */
export const GENERATION_RESOURCES = new Set(['deployments', 'statefulsets', 'jobs', 'cronjobs', 'networkpolicies', 'customresourcedefinitions']);

/** Resources whose PUT requires `metadata.resourceVersion` (no unconditional update), besides custom resources. */
export const RV_REQUIRED_RESOURCES = new Set(['leases', 'customresourcedefinitions']);

/** Resources whose DELETE answers the deleted object instead of a Status. */
export const RETURN_OBJECT_ON_DELETE = new Set(['services', 'serviceaccounts', 'pods', 'namespaces']);
