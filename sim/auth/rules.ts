/**
 * RBAC rule matching, as k8s.io/kubernetes `pkg/apis/rbac/v1/evaluation_helpers.go`: `*` wildcards for verbs, groups
 * and resources, `resource/subresource` and `* /subresource` forms, resourceNames, and non-resource URLs with a
 * trailing `*`.
 */
import type { KubeObject } from '#shared/kube/types.ts';

/** What a request asks to do (the real `authorizer.Attributes`). */
export interface RequestAttributes {
  /** get, list, watch, create, update, patch, delete, deletecollection (or a custom verb such as `bind`). */
  verb: string;
  /** API group, '' for core. Ignored for non-resource requests. */
  group: string;
  /** Plural resource, e.g. `configmaps`; empty for a non-resource request (then `path` is used). */
  resource: string;
  subresource?: string | undefined;
  namespace?: string | undefined;
  name?: string | undefined;
  /** The URL path, for non-resource requests (`/api`, `/version`, `/openapi/v2`). */
  path?: string | undefined;
}

/** One PolicyRule, narrowed from the stored JSON. */
export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The rules of a Role or ClusterRole object. */
export function rulesOf(role: KubeObject): PolicyRule[] {
  const rules = Array.isArray(role.rules) ? role.rules : [];
  return rules.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null).map((r) => ({
    verbs: strings(r.verbs),
    apiGroups: strings(r.apiGroups),
    resources: strings(r.resources),
    resourceNames: strings(r.resourceNames),
    nonResourceURLs: strings(r.nonResourceURLs),
  }));
}

function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return rule.resources.some((r) => r === '*' || r === combined
    || (subresource !== '' && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)));
}

function urlMatches(rule: PolicyRule, path: string): boolean {
  return rule.nonResourceURLs.some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

/** True when `rule` allows the request. */
export function ruleAllows(rule: PolicyRule, attrs: RequestAttributes): boolean {
  if (!rule.verbs.includes('*') && !rule.verbs.includes(attrs.verb)) return false;
  if (!attrs.resource) return urlMatches(rule, attrs.path ?? '');
  if (!rule.apiGroups.includes('*') && !rule.apiGroups.includes(attrs.group)) return false;
  const sub = attrs.subresource ?? '';
  const combined = sub ? `${attrs.resource}/${sub}` : attrs.resource;
  if (!resourceMatches(rule, combined, sub)) return false;
  if (rule.resourceNames.length === 0) return true;
  return attrs.name !== undefined && attrs.name !== '' && rule.resourceNames.includes(attrs.name);
}
