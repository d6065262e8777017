/**
 * OpenAPI v3 schema validation of a custom resource, as kube-openapi's `SchemaValidator` plus apiextensions'
 * `ValidateCustomResource` report it: per value the type, string (maxLength, minLength, pattern), format, number
 * (multipleOf, maximum, minimum), array (minItems, maxItems, uniqueItems, items), enum and object (min/max
 * properties, required, additionalProperties, properties in name order) checks, in that order.
 * Paths are dotted without array indices (`spec.members.name`), exactly as the real server prints them.
 */
import type { Cause } from '#sim/types.ts';
import type { JsonSchema } from './schema.ts';
import { isPlainObject } from './schema.ts';
import { goFloat, goQuote } from './go-format.ts';
import { invalid, notSupported, required } from './messages.ts';
import { formatValid } from './formats.ts';

/** The JSON type name kube-openapi infers for a decoded value. */
export function jsonTypeOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'object') return 'object';
  return typeof v; // string, boolean
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Builds causes: `field` is `prefix` joined with the schema path; messages name the schema path. */
class Collector {
  readonly causes: Cause[] = [];
  readonly prefix: string;
  constructor(prefix: string) {
    this.prefix = prefix;
  }
  field(path: string): string {
    return this.prefix && path ? `${this.prefix}.${path}` : this.prefix || path;
  }
  invalid(path: string, value: unknown, detail: string): void {
    this.causes.push(invalid(this.field(path), value, detail));
  }
}

function schemaTypes(s: JsonSchema): string[] {
  if (s['x-kubernetes-int-or-string'] === true) return ['integer', 'string'];
  return s.type ? [s.type] : [];
}

/** kube-openapi's typeValidator (the bad value it reports is the actual type name, e.g. `"string"`). */
function checkType(c: Collector, path: string, v: unknown, s: JsonSchema): void {
  const types = schemaTypes(s);
  const format = s.format ?? '';
  if (types.length === 0 && !format) return;
  const actual = jsonTypeOf(v);
  if (actual === 'null') {
    if (types.length > 0 && !types.includes('null') && s.nullable !== true) {
      c.invalid(path, 'null', `${path} in body must be of type ${types.join(',')}: "null"`);
    }
    return;
  }
  const ok = types.includes(actual) || (actual === 'integer' && types.includes('number'));
  const isStringOrSlice = actual === 'string' || actual === 'array';
  if (!isStringOrSlice && format && !ok && format !== dataFormat(actual)) {
    c.invalid(path, dataFormat(actual), `${path} in body must be of type ${format}: "${dataFormat(actual)}"`);
    return;
  }
  if (!(types.includes('number') || types.includes('integer')) && format && isStringOrSlice) return;
  if (!ok) c.invalid(path, actual, `${path} in body must be of type ${types.join(',')}: "${actual}"`);
}

function dataFormat(actual: string): string {
  return actual === 'integer' ? 'int64' : actual === 'number' ? 'double' : '';
}

function checkString(c: Collector, path: string, v: string, s: JsonSchema): void {
  const len = [...v].length;
  if (s.maxLength !== undefined && len > s.maxLength) {
    c.invalid(path, v, `${path} in body should be at most ${s.maxLength} chars long`);
  }
  if (s.minLength !== undefined && len < s.minLength) {
    c.invalid(path, v, `${path} in body should be at least ${s.minLength} chars long`);
  }
  if (s.pattern !== undefined && !patternMatches(s.pattern, v)) {
    c.invalid(path, v, `${path} in body should match '${s.pattern}'`);
  }
  if (s.format && !formatValid(s.format, v)) {
    c.invalid(path, v, `${path} in body must be of type ${s.format}: ${goQuote(v)}`);
  }
}

/** Compiled patterns (a RegExp per check dominated validation); `null` for a pattern no flavour compiles. */
const patterns = new Map<string, RegExp | null>();

function compilePattern(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return null;
    }
  }
}

function patternMatches(pattern: string, v: string): boolean {
  let re = patterns.get(pattern);
  if (re === undefined) {
    re = compilePattern(pattern);
    patterns.set(pattern, re);
  }
  return re === null ? true : re.test(v);
}

function checkNumber(c: Collector, path: string, v: number, s: JsonSchema): void {
  if (s.multipleOf !== undefined && s.multipleOf > 0) {
    const q = v / s.multipleOf;
    if (!Number.isInteger(q)) c.invalid(path, v, `${path} in body should be a multiple of ${goFloat(s.multipleOf)}`);
  }
  if (s.maximum !== undefined) {
    const bad = s.exclusiveMaximum === true ? v >= s.maximum : v > s.maximum;
    const word = s.exclusiveMaximum === true ? 'less than' : 'less than or equal to';
    if (bad) c.invalid(path, v, `${path} in body should be ${word} ${goFloat(s.maximum)}`);
  }
  if (s.minimum !== undefined) {
    const bad = s.exclusiveMinimum === true ? v <= s.minimum : v < s.minimum;
    const word = s.exclusiveMinimum === true ? 'greater than' : 'greater than or equal to';
    if (bad) c.invalid(path, v, `${path} in body should be ${word} ${goFloat(s.minimum)}`);
  }
}

function checkArray(c: Collector, path: string, v: unknown[], s: JsonSchema): void {
  if (s.minItems !== undefined && v.length < s.minItems) {
    c.invalid(path, v.length, `${path} in body should have at least ${s.minItems} items`);
  }
  if (s.maxItems !== undefined && v.length > s.maxItems) {
    c.invalid(path, v.length, `${path} in body should have at most ${s.maxItems} items`);
  }
  if (s.uniqueItems === true && v.some((x, i) => v.findIndex((y) => deepEqual(x, y)) !== i)) {
    c.invalid(path, v, `${path} in body shouldn't contain duplicates`);
  }
  if (s.items) for (const item of v) validateNode(c, path, item, s.items);
}

function checkEnum(c: Collector, path: string, v: unknown, s: JsonSchema): void {
  if (!s.enum || s.enum.length === 0 || s.enum.some((e) => deepEqual(e, v))) return;
  const values = s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
  c.causes.push(notSupported(c.field(path), v, values));
}

function checkObject(c: Collector, path: string, v: Record<string, unknown>, s: JsonSchema): void {
  const n = Object.keys(v).length;
  if (s.minProperties !== undefined && n < s.minProperties) {
    c.invalid(path, s.minProperties, `${path} in body should have at least ${s.minProperties} properties`);
  }
  if (s.maxProperties !== undefined && n > s.maxProperties) {
    c.invalid(path, s.maxProperties, `${path} in body should have at most ${s.maxProperties} properties`);
  }
  for (const k of s.required ?? []) if (!(k in v)) c.causes.push(required(c.field(join(path, k))));
  const props = s.properties ?? {};
  if (s.additionalProperties === false) {
    for (const k of Object.keys(v).sort()) {
      if (!(k in props)) c.invalid(path, '', `${join(path, k)} in body is a forbidden property`);
    }
  } else if (isPlainObject(s.additionalProperties)) {
    const ap = s.additionalProperties;
    for (const k of Object.keys(v).sort()) if (!(k in props)) validateNode(c, join(path, k), v[k], ap);
  }
  for (const k of Object.keys(props).sort()) {
    const ps = props[k];
    if (ps && k in v) validateNode(c, join(path, k), v[k], ps);
  }
}

function validateNode(c: Collector, path: string, v: unknown, s: JsonSchema): void {
  if (v === null || v === undefined) {
    checkType(c, path, null, s);
    checkEnum(c, path, null, s);
    return;
  }
  checkType(c, path, v, s);
  if (typeof v === 'string') checkString(c, path, v, s);
  if (typeof v === 'number') checkNumber(c, path, v, s);
  if (Array.isArray(v)) checkArray(c, path, v, s);
  checkEnum(c, path, v, s);
  if (isPlainObject(v)) checkObject(c, path, v, s);
}

/**
 * Validates `value` against `schema`. `fieldPrefix` is prepended to cause fields (e.g. the `default` of a CRD
 * schema node); the message names only the path inside `value`, as in ` in body must be of type integer`.
 */
export function validateSchema(value: unknown, schema: JsonSchema, fieldPrefix = ''): Cause[] {
  const c = new Collector(fieldPrefix);
  validateNode(c, '', value, schema);
  return c.causes;
}
