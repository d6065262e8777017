/**
 * Granted versus used: every rule of an operator's manifests expanded into (verb, group, resource) triples, each
 * marked used when an allowed decision of the operator's identity matched it during a run. A rule's unused triples
 * are excused only by an `rbac-unused-ok` marker on that rule, and a marker must cover exactly the unused part: a
 * marked rule whose triples are all used is stale, one that is partly used must be split (README.md).
 */
import type { AuthorizationDecision } from '#sim/auth/index.ts';
import { ruleAllows } from '#sim/auth/index.ts';
import type { PolicyRule } from '#sim/auth/index.ts';
import type { ManifestRule, OperatorRbac } from './manifests.ts';

/** One permission of a rule: `verb group/resource[/subresource]` (a `*` stays a `*`). */
export interface Triple { verb: string; group: string; resource: string }

/** What a run did with one rule. */
export interface RuleUsage {
  operator: string;
  rule: ManifestRule;
  used: Triple[];
  unused: Triple[];
}

/** The verdict on an operator's rules. */
export interface UsageReport {
  usages: RuleUsage[];
  /** Unused triples of rules without a marker: each one fails the test. */
  unexcused: RuleUsage[];
  /** Marked rules that were fully used: the marker is wrong (stale). */
  staleMarkers: RuleUsage[];
  /** Marked rules with used and unused triples: split them so the marker names only what is unused. */
  mixedMarkers: RuleUsage[];
}

/** `get core/secrets` */
export function tripleText(t: Triple): string {
  return `${t.verb} ${t.group || 'core'}/${t.resource}`;
}

/** The (verb, group, resource) triples of a rule (non-resource URLs are written as the resource). */
export function expandRule(rule: PolicyRule): Triple[] {
  const out: Triple[] = [];
  for (const verb of rule.verbs) {
    if (rule.nonResourceURLs.length > 0) {
      for (const url of rule.nonResourceURLs) out.push({ verb, group: '', resource: url });
      continue;
    }
    for (const group of rule.apiGroups) for (const resource of rule.resources) out.push({ verb, group, resource });
  }
  return out;
}

/** True when an allowed decision exercised this triple of `rule` (same namespace for a Role's rule). */
function exercised(triple: Triple, rule: ManifestRule, decisions: AuthorizationDecision[]): boolean {
  const single: PolicyRule = rule.rule.nonResourceURLs.length > 0
    ? { verbs: [triple.verb], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [triple.resource] }
    : { verbs: [triple.verb], apiGroups: [triple.group], resources: [triple.resource], resourceNames: rule.rule.resourceNames, nonResourceURLs: [] };
  return decisions.some((d) => (rule.roleKind === 'ClusterRole' || d.namespace === rule.namespace)
    && ruleAllows(single, { verb: d.verb, group: d.group, resource: d.resource, subresource: d.subresource, namespace: d.namespace, name: d.name, path: d.path }));
}

/** Compares what the manifests grant an operator with what its identity was allowed to do during a run. */
export function usageOf(rbac: OperatorRbac, allowed: AuthorizationDecision[]): UsageReport {
  const usages = rbac.rules.map((rule): RuleUsage => {
    const used: Triple[] = [];
    const unused: Triple[] = [];
    for (const triple of expandRule(rule.rule)) (exercised(triple, rule, allowed) ? used : unused).push(triple);
    return { operator: rbac.operator, rule, used, unused };
  });
  return {
    usages,
    unexcused: usages.filter((u) => u.unused.length > 0 && u.rule.unusedOk === undefined),
    staleMarkers: usages.filter((u) => u.rule.unusedOk !== undefined && u.unused.length === 0),
    mixedMarkers: usages.filter((u) => u.rule.unusedOk !== undefined && u.unused.length > 0 && u.used.length > 0),
  };
}

/** Where a rule is: `manifests/…/clusterrole.yaml ClusterRole nimbus-x rule #3`. */
export function ruleText(rule: ManifestRule): string {
  return `${rule.file} ${rule.roleKind} ${rule.roleName} rule #${rule.index + 1}`;
}

/** A readable table of a report: one line per rule, used / unused triples, the marker's reason. */
export function formatUsage(report: UsageReport): string {
  return report.usages.map((u) => {
    const unused = u.unused.length ? `  UNUSED: ${u.unused.map(tripleText).join(', ')}` : '';
    const marker = u.rule.unusedOk ? `  [rbac-unused-ok: ${u.rule.unusedOk}]` : '';
    return `${u.operator}: ${ruleText(u.rule)}: used ${u.used.length}/${u.used.length + u.unused.length}${unused}${marker}`;
  }).join('\n');
}
