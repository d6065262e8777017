/**
 * Narrowing of untyped JSON (request bodies) for the defaulting code: read a nested object, creating it when asked,
 * without `any` and without trusting the client's shapes.
 */

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `parent[key]` as an object; creates `{}` there when absent (or not an object) so defaults can be written. */
export function child(parent: JsonObject, key: string): JsonObject {
  const current = parent[key];
  if (isObject(current)) return current;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
}

/** `parent[key]` as an object, or undefined (never creates). */
export function peek(parent: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = parent?.[key];
  return isObject(value) ? value : undefined;
}

/** The objects of an array field (non-objects skipped). */
export function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** Sets `obj[key] = value` unless a value is already there. */
export function setDefault(obj: JsonObject, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

/** Deep JSON equality (key order insensitive), for "did the spec change" and immutability checks. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/** A string-valued map (labels, selectors), or undefined when the value is not one. */
export function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}
