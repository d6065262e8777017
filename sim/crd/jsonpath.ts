/**
 * The simple JSONPath of printer columns (client-go `jsonpath` with missing keys allowed): `.a.b`, `['a.b']`,
 * `[0]`, `[-1]`, `[*]`, `.*` and filters `[?(@.type=="Ready")]` (==, !=, <, >, <=, >=, or a bare `@.x` existence test).
 * Returns every match, in order; the table uses the first.
 */
import { isPlainObject } from './schema.ts';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; op: string | undefined; literal: unknown };

function parseLiteral(raw: string): unknown {
  const t = raw.trim();
  if (/^(['"]).*\1$/.test(t)) return t.slice(1, -1);
  if (t === 'true' || t === 'false') return t === 'true';
  const n = Number(t);
  return Number.isNaN(n) ? t : n;
}

function parseFilter(body: string): Step {
  const m = /^@((?:\.[\w-]+)*)\s*(==|!=|<=|>=|<|>)?\s*(.*)$/.exec(body.trim());
  if (!m) throw new Error(`unsupported filter ${body}`);
  const path = (m[1] ?? '').split('.').filter(Boolean);
  return { kind: 'filter', path, op: m[2], literal: m[2] ? parseLiteral(m[3] ?? '') : undefined };
}

/** Parses `.spec.x[0]` (optionally wrapped in `{}`) into steps; throws on syntax it does not know. */
export function parseJsonPath(expr: string): Step[] {
  let s = expr.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1).trim();
  if (s.startsWith('$')) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch === '.') {
      const m = /^\.([\w-]+|\*)/.exec(s.slice(i));
      if (!m) {
        i += 1;
        continue;
      }
      steps.push(m[1] === '*' ? { kind: 'all' } : { kind: 'field', name: m[1] ?? '' });
      i += m[0].length;
    } else if (ch === '[') {
      const end = s.indexOf(']', s.startsWith('[?(', i) ? s.indexOf(')]', i) : i);
      if (end < 0) throw new Error(`unterminated [ in ${expr}`);
      const body = s.slice(i + 1, end).trim();
      if (body === '*') steps.push({ kind: 'all' });
      else if (body.startsWith('?(') && body.endsWith(')')) steps.push(parseFilter(body.slice(2, -1)));
      else if (/^-?\d+$/.test(body)) steps.push({ kind: 'index', index: Number(body) });
      else steps.push({ kind: 'field', name: String(parseLiteral(body)) });
      i = end + 1;
    } else throw new Error(`unexpected ${ch ?? ''} in ${expr}`);
  }
  return steps;
}

function get(v: unknown, path: string[]): unknown {
  let cur = v;
  for (const p of path) cur = isPlainObject(cur) ? cur[p] : undefined;
  return cur;
}

function matches(item: unknown, step: Extract<Step, { kind: 'filter' }>): boolean {
  const x = get(item, step.path);
  if (!step.op) return x !== undefined;
  const lit = step.literal;
  switch (step.op) {
    case '==': return x === lit;
    case '!=': return x !== lit;
    case '<': return typeof x === 'number' && typeof lit === 'number' && x < lit;
    case '>': return typeof x === 'number' && typeof lit === 'number' && x > lit;
    case '<=': return typeof x === 'number' && typeof lit === 'number' && x <= lit;
    default: return typeof x === 'number' && typeof lit === 'number' && x >= lit;
  }
}

/** Evaluates parsed steps on `root`; missing keys yield no result. */
export function evalJsonPath(steps: Step[], root: unknown): unknown[] {
  let cur: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (step.kind === 'field') {
        if (isPlainObject(v) && step.name in v) next.push(v[step.name]);
      } else if (step.kind === 'index') {
        if (Array.isArray(v)) {
          const idx = step.index < 0 ? v.length + step.index : step.index;
          if (idx >= 0 && idx < v.length) next.push(v[idx]);
        }
      } else if (step.kind === 'all') {
        if (Array.isArray(v)) for (const item of v as unknown[]) next.push(item);
        else if (isPlainObject(v)) next.push(...Object.keys(v).sort().map((k) => v[k]));
      } else if (Array.isArray(v)) {
        for (const item of v as unknown[]) if (matches(item, step)) next.push(item);
      }
    }
    cur = next;
  }
  return cur;
}
