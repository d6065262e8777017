/**
 * Granted versus used: every rule of an operator's manifests expanded into (verb, group, resource) triples, each
 * marked used when an allowed decision of the operator's identity matched it during a run. A rule's unused triples
 * are excused only by an `rbac-unused-ok` marker on that rule. A marker that excuses more than a run left unused
 * (a whole-rule marker on a partly used rule, a named verb that was used) is reported as a note (README.md).
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
  /** Unused and not excused by the rule's marker: each one fails the test. */
  unexcused: Triple[];
  /** A marker that excuses more than this run left unused (a note: how much a run exercises varies with timing). */
  markerNote: string | undefined;
}

/** The verdict on an operator's rules. */
export interface UsageReport {
  usages: RuleUsage[];
  /** One line per rule with unexcused triples; empty when least privilege holds. */
  problems: string[];
  /** Markers that excuse permissions this run did use (stale or broader than needed): worth a look, not a failure. */
  notes: string[];
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

function markerNote(rule: ManifestRule, used: Triple[], unused: Triple[]): string | undefined {
  const marker = rule.unusedOk;
  if (!marker) return undefined;
  if (marker.verbs === undefined) {
    if (unused.length === 0) return 'marked rbac-unused-ok but every permission was used: is the marker stale?';
    if (used.length > 0) {
      const verbs = [...new Set(unused.map((t) => t.verb))].join(', ');
      return `marked rbac-unused-ok for the whole rule but partly used (${used.map(tripleText).join(', ')}): write rbac-unused-ok(${verbs}) instead`;
    }
    return undefined;
  }
  const stale = marker.verbs.filter((v) => !unused.some((t) => t.verb === v));
  return stale.length ? `marked rbac-unused-ok(${marker.verbs.join(', ')}) but ${stale.join(', ')} was used or is not granted: is the marker stale?` : undefined;
}

/** Compares what the manifests grant an operator with what its identity was allowed to do during a run. */
export function usageOf(rbac: OperatorRbac, allowed: AuthorizationDecision[]): UsageReport {
  const usages = rbac.rules.map((rule): RuleUsage => {
    const used: Triple[] = [];
    const unused: Triple[] = [];
    for (const triple of expandRule(rule.rule)) (exercised(triple, rule, allowed) ? used : unused).push(triple);
    const verbs = rule.unusedOk?.verbs;
    const unexcused = rule.unusedOk ? unused.filter((t) => verbs !== undefined && !verbs.includes(t.verb)) : unused;
    return { operator: rbac.operator, rule, used, unused, unexcused, markerNote: markerNote(rule, used, unused) };
  });
  const problems = usages.filter((u) => u.unexcused.length > 0).map((u) =>
    `${ruleText(u.rule)}: granted, never used: ${u.unexcused.map(tripleText).join(', ')} (remove it, or say why with # rbac-unused-ok(<verbs>): <reason>)`);
  const notes = usages.flatMap((u) => (u.markerNote ? [`${ruleText(u.rule)}: ${u.markerNote}`] : []));
  return { usages, problems, notes };
}

/** Where a rule is: `manifests/…/clusterrole.yaml ClusterRole nimbus-x rule #3`. */
export function ruleText(rule: ManifestRule): string {
  return `${rule.file} ${rule.roleKind} ${rule.roleName} rule #${rule.index + 1}`;
}

/** A readable table of a report: one line per rule, used / unused triples, the marker's reason. */
export function formatUsage(report: UsageReport): string {
  return report.usages.map((u) => {
    const unused = u.unused.length ? `  UNUSED: ${u.unused.map(tripleText).join(', ')}` : '';
    const marker = u.rule.unusedOk ? `  [rbac-unused-ok${u.rule.unusedOk.verbs ? `(${u.rule.unusedOk.verbs.join(', ')})` : ''}: ${u.rule.unusedOk.reason}]` : '';
    return `${u.operator}: ${ruleText(u.rule)}: used ${u.used.length}/${u.used.length + u.unused.length}${unused}${marker}`;
  }).join('\n');
}
