/**
 * Label and field selectors, parsed once per request and matched against stored objects.
 * Label selector grammar: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, comma-separated (AND).
 * As in Kubernetes, `!=` and `notin` also match objects without the label.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { badRequest } from '#sim/server/status.ts';

type Op = 'eq' | 'ne' | 'in' | 'notin' | 'exists' | 'notexists';
interface Requirement { key: string; op: Op; values: string[] }

/** A compiled selector; `matches` answers for one object. */
export interface Selector { matches(obj: KubeObject): boolean; empty: boolean }

const EVERYTHING: Selector = { matches: () => true, empty: true };

/** Splits on commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  if (cur.trim() !== '' || out.length) out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

function parseLabelTerm(term: string): Requirement {
  let m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (m) return { key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()).filter((v) => v !== '') };
  m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (m) return { key: m[1]!, op: m[2] === '!=' ? 'ne' : 'eq', values: [m[3]!] };
  m = /^!\s*(\S+)$/.exec(term);
  if (m) return { key: m[1]!, op: 'notexists', values: [] };
  if (/^[^=!\s()]+$/.test(term)) return { key: term, op: 'exists', values: [] };
  throw badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
}

function test(req: Requirement, value: string | undefined): boolean {
  switch (req.op) {
    case 'eq': return value === req.values[0];
    case 'ne': return value !== req.values[0];
    case 'in': return value !== undefined && req.values.includes(value);
    case 'notin': return value === undefined || !req.values.includes(value);
    case 'exists': return value !== undefined;
    case 'notexists': return value === undefined;
  }
}

/** Parses a `labelSelector` query value (400 on syntax errors). */
export function parseLabelSelector(s: string | null | undefined): Selector {
  if (!s) return EVERYTHING;
  const reqs = splitTerms(s).map(parseLabelTerm);
  if (!reqs.length) return EVERYTHING;
  return {
    empty: false,
    matches: (obj) => {
      const labels = obj.metadata.labels ?? {};
      return reqs.every((r) => test(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined));
    },
  };
}

/** Reads a dotted field path (`involvedObject.name`, `metadata.namespace`) as a string. */
function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'string' ? cur : JSON.stringify(cur);
}

/** Field selectors each resource supports besides `metadata.name` and `metadata.namespace`. */
const EXTRA_FIELDS: Record<string, string[]> = {
  events: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
    'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason',
    'reportingComponent', 'source', 'type', 'regarding.name', 'regarding.kind', 'regarding.namespace', 'note'],
  pods: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  secrets: ['type'],
  namespaces: ['status.phase'],
  jobs: ['status.successful'],
};

/** Parses a `fieldSelector` for a resource (400 for unsupported fields, with the real message). */
export function parseFieldSelector(s: string | null | undefined, resource: string): Selector {
  if (!s) return EVERYTHING;
  const extra = EXTRA_FIELDS[resource] ?? [];
  const reqs = splitTerms(s).map((term) => {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
    const key = m[1]!;
    if (key !== 'metadata.name' && key !== 'metadata.namespace' && !extra.includes(key)) {
      throw badRequest(extra.length === 0
        ? `"${key}" is not a known field selector: only "metadata.name", "metadata.namespace"`
        : `field label not supported: ${key}`);
    }
    return { key, ne: m[2] === '!=', value: m[3]!.trim() };
  });
  return {
    empty: false,
    matches: (obj) => reqs.every((r) => (fieldValue(obj, r.key) === r.value) !== r.ne),
  };
}

/** Both selectors at once. */
export function both(a: Selector, b: Selector): Selector {
  if (a.empty) return b;
  if (b.empty) return a;
  return { empty: false, matches: (o) => a.matches(o) && b.matches(o) };
}
