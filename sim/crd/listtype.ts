/**
 * The `x-kubernetes-list-type` invariants the real server checks after schema validation
 * (`structurallisttype.ValidateListSetsAndMaps`): no duplicate items in a `set`, no duplicate key tuples in a
 * `map` list. Fields carry array indices (`spec.ports[1]`), unlike schema validation paths.
 */
import type { Cause } from '#sim/types.ts';
import type { JsonSchema } from './schema.ts';
import { isPlainObject } from './schema.ts';
import { duplicate } from './messages.ts';

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isPlainObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

function checkList(path: string, v: unknown[], s: JsonSchema, causes: Cause[]): void {
  const type = s['x-kubernetes-list-type'];
  if (type === 'set') {
    v.forEach((x, i) => {
      if (v.findIndex((y) => same(x, y)) !== i) causes.push(duplicate(`${path}[${i}]`, x));
    });
  } else if (type === 'map') {
    const keys = s['x-kubernetes-list-map-keys'] ?? [];
    const tuples = v.map((x) => (isPlainObject(x) ? Object.fromEntries(keys.filter((k) => k in x).map((k) => [k, x[k]])) : x));
    tuples.forEach((t, i) => {
      if (tuples.findIndex((u) => same(t, u)) !== i) causes.push(duplicate(`${path}[${i}]`, t));
    });
  }
}

/** Whether a schema node or any node below it declares a `set` or `map` list (kept per node: schemas never change). */
const withListTypes = new WeakMap<JsonSchema, boolean>();
function hasListTypes(s: JsonSchema): boolean {
  let known = withListTypes.get(s);
  if (known === undefined) {
    const here = s['x-kubernetes-list-type'] === 'set' || s['x-kubernetes-list-type'] === 'map';
    const ap = isPlainObject(s.additionalProperties) ? s.additionalProperties : undefined;
    known = here || Object.values(s.properties ?? {}).some(hasListTypes) || (ap !== undefined && hasListTypes(ap))
      || (s.items !== undefined && hasListTypes(s.items));
    withListTypes.set(s, known);
  }
  return known;
}

function walk(path: string, v: unknown, s: JsonSchema | undefined, causes: Cause[]): void {
  if (!s || !hasListTypes(s)) return;
  if (Array.isArray(v)) {
    checkList(path, v, s, causes);
    v.forEach((x, i) => walk(`${path}[${i}]`, x, s.items, causes));
  } else if (isPlainObject(v)) {
    const ap = isPlainObject(s.additionalProperties) ? (s.additionalProperties) : undefined;
    for (const k of Object.keys(v).sort()) {
      const ps = s.properties?.[k];
      if (ps) walk(path ? `${path}.${k}` : k, v[k], ps, causes);
      else if (ap) walk(`${path}[${k}]`, v[k], ap, causes);
    }
  }
}

/** Duplicate items of `set` lists and duplicate keys of `map` lists anywhere in `obj`. */
export function validateListTypes(obj: unknown, schema: JsonSchema): Cause[] {
  const causes: Cause[] = [];
  walk('', obj, schema, causes);
  return causes;
}
