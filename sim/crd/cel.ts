/**
 * `x-kubernetes-validations` (CEL) rules, evaluated like apiextensions' CEL validator (v1.24): the rules of a schema
 * node run with `self` = the value there (typed by the schema: integers are CEL ints, numbers doubles,
 * int-or-string either), and transition rules (those naming `oldSelf`) only on update when the old object has a
 * value at the same place (objects and maps by key, `x-kubernetes-list-type: map` lists by their keys).
 * A violation is `field.Invalid(<node path>, <value>, <message>)`; the root node's path prints as `<nil>`.
 */
import { Environment } from '@marcbachmann/cel-js';
import type { Cause } from '#sim/types.ts';
import type { JsonSchema, ValidationRule } from './schema.ts';
import { isPlainObject } from './schema.ts';
import { invalid } from './messages.ts';

const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
type Program = (ctx: Record<string, unknown>) => unknown;
const programs = new Map<string, Program | Error>();

function compile(expr: string): Program | Error {
  let p = programs.get(expr);
  if (!p) {
    try {
      p = env.parse(expr);
    } catch (err) {
      p = err instanceof Error ? err : new Error(String(err));
    }
    programs.set(expr, p);
  }
  return p;
}

/** Parses a rule; returns the first line of the parser error, or undefined when the rule compiles. */
export function celCompileError(expr: string): string | undefined {
  const p = compile(expr);
  return p instanceof Error ? firstLine(p.message) : undefined;
}

function firstLine(msg: string): string {
  const line = msg.split('\n')[0] ?? msg;
  return line.charAt(0).toLowerCase() + line.slice(1);
}

/** Strings of format date/date-time are CEL timestamps and `byte` strings are bytes, as in the real server. */
function formatted(v: string, format: string | undefined): unknown {
  if (format === 'date-time' || format === 'datetime' || format === 'date') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? v : new Date(t);
  }
  if (format === 'byte') return new Uint8Array(Buffer.from(v, 'base64'));
  return v;
}

/**
 * CEL values of objects and lists by JSON node and schema node. The nodes validated are stored objects (never
 * mutated) or admission's copy, validated after its last change and then stored or dropped: an unchanged subtree
 * that a write carries over from the stored object (the spec of a status write, `oldSelf` everywhere) is converted
 * once instead of on every write.
 */
const celValues = new WeakMap<object, Map<JsonSchema | undefined, unknown>>();

/** Converts a decoded JSON value into the CEL value the schema describes. */
export function toCel(v: unknown, s: JsonSchema | undefined, isRoot = false): unknown {
  if (isRoot || typeof v !== 'object' || v === null) return convert(v, s, isRoot);
  let bySchema = celValues.get(v);
  if (bySchema === undefined) {
    bySchema = new Map();
    celValues.set(v, bySchema);
  }
  if (bySchema.has(s)) return bySchema.get(s);
  const out = convert(v, s, false);
  bySchema.set(s, out);
  return out;
}

function convert(v: unknown, s: JsonSchema | undefined, isRoot: boolean): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    const wantsDouble = s?.type === 'number';
    return Number.isInteger(v) && !wantsDouble ? BigInt(v) : v;
  }
  if (typeof v === 'string') return formatted(v, s?.format);
  if (Array.isArray(v)) return v.map((x) => toCel(x, s?.items));
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  const props = s?.properties;
  const ap = s && isPlainObject(s.additionalProperties) ? (s.additionalProperties) : undefined;
  const open = !s || (!props && !ap) || (s['x-kubernetes-preserve-unknown-fields'] === true && !props);
  for (const [k, x] of Object.entries(v)) {
    if (isRoot && (k === 'apiVersion' || k === 'kind')) out[k] = x;
    else if (isRoot && k === 'metadata' && isPlainObject(x)) {
      out[k] = Object.fromEntries(Object.entries(x).filter(([mk]) => mk === 'name' || mk === 'generateName'));
    } else if (props?.[k]) out[k] = toCel(x, props[k]);
    else if (ap) out[k] = toCel(x, ap);
    else if (open) out[k] = toCel(x, undefined);
  }
  return out;
}

function ruleText(rule: ValidationRule): string {
  return (rule.message && rule.message.trim()) || rule.rule.trim();
}

function evalRule(rule: ValidationRule, ctx: Record<string, unknown>, field: string, value: unknown): Cause | undefined {
  const prog = compile(rule.rule);
  if (prog instanceof Error) return invalid(field, value, `compilation failed: ${firstLine(prog.message)}`);
  let result: unknown;
  try {
    result = prog(ctx);
  } catch (err) {
    const msg = firstLine(err instanceof Error ? err.message : String(err));
    if (msg.startsWith('no such overload')) {
      return invalid(field, value, `'no such overload': call arguments did not match a supported operator, function or macro signature for rule: ${ruleText(rule)}`);
    }
    return invalid(field, value, `${msg} evaluating rule: ${ruleText(rule)}`);
  }
  if (result === true) return undefined;
  if (rule.messageExpression) {
    const mp = compile(rule.messageExpression);
    try {
      const m = mp instanceof Error ? undefined : mp(ctx);
      if (typeof m === 'string' && m.trim()) return invalid(field, value, m);
    } catch {
      // a failing messageExpression falls back to the static message, as the real server does
    }
  }
  return invalid(field, value, rule.message ? rule.message : `failed rule: ${ruleText(rule)}`);
}

interface Walk {
  causes: Cause[];
}

function child(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function listKey(item: unknown, keys: string[]): string | undefined {
  if (!isPlainObject(item)) return undefined;
  return JSON.stringify(keys.map((k) => item[k] ?? null));
}

function walk(w: Walk, path: string, v: unknown, old: unknown, hasOld: boolean, s: JsonSchema, isRoot: boolean): void {
  if (v === undefined || !hasRulesCached(s)) return; // no rule at or below this node: nothing to evaluate

  const rules = s['x-kubernetes-validations'] ?? [];
  if (rules.length > 0) {
    const self = toCel(v, s, isRoot);
    const oldSelf = hasOld ? toCel(old, s, isRoot) : undefined;
    for (const rule of rules) {
      const transition = /\boldSelf\b/.test(rule.rule);
      if (transition && !hasOld) continue;
      const cause = evalRule(rule, transition ? { self, oldSelf } : { self }, path || '<nil>', v);
      if (cause) w.causes.push(cause);
    }
  }
  if (isPlainObject(v)) {
    const props = s.properties ?? {};
    const oldObj = hasOld && isPlainObject(old) ? old : undefined;
    for (const k of Object.keys(props).sort()) {
      const ps = props[k];
      if (ps && k in v) walk(w, child(path, k), v[k], oldObj?.[k], oldObj !== undefined && k in oldObj, ps, false);
    }
    const ap = isPlainObject(s.additionalProperties) ? (s.additionalProperties) : undefined;
    if (ap) {
      for (const k of Object.keys(v).sort()) {
        if (!(k in props)) walk(w, `${path}[${k}]`, v[k], oldObj?.[k], oldObj !== undefined && k in oldObj, ap, false);
      }
    }
  } else if (Array.isArray(v) && s.items) {
    const keys = s['x-kubernetes-list-type'] === 'map' ? (s['x-kubernetes-list-map-keys'] ?? []) : undefined;
    const oldByKey = new Map<string, unknown>();
    if (keys && hasOld && Array.isArray(old)) {
      for (const o of old) {
        const k = listKey(o, keys);
        if (k !== undefined) oldByKey.set(k, o);
      }
    }
    v.forEach((item, i) => {
      const k = keys ? listKey(item, keys) : undefined;
      const found = k !== undefined && oldByKey.has(k);
      walk(w, `${path}[${i}]`, item, found ? oldByKey.get(k) : undefined, found, s.items as JsonSchema, false);
    });
  }
}

/** Evaluates every CEL rule of the schema on `obj` (and `old` for transition rules); returns the violations. */
export function validateCel(obj: unknown, old: unknown, schema: JsonSchema): Cause[] {
  const w: Walk = { causes: [] };
  walk(w, '', obj, old, old !== undefined && old !== null, schema, true);
  return w.causes;
}

/** `hasCelRules` per schema node: schemas are never mutated once a CRD is stored, so the answer is kept. */
const withRules = new WeakMap<JsonSchema, boolean>();
function hasRulesCached(s: JsonSchema): boolean {
  let known = withRules.get(s);
  if (known === undefined) {
    known = hasCelRules(s);
    withRules.set(s, known);
  }
  return known;
}

/** Whether any node of the schema carries CEL rules (lets callers skip the walk). */
export function hasCelRules(s: JsonSchema | undefined): boolean {
  if (!s) return false;
  if ((s['x-kubernetes-validations'] ?? []).length > 0) return true;
  if (Object.values(s.properties ?? {}).some(hasCelRules)) return true;
  if (isPlainObject(s.additionalProperties) && hasCelRules(s.additionalProperties)) return true;
  return hasCelRules(s.items);
}
