/**
 * Plain-JSON helpers for the patch code: narrowing, deep equality and cloning of decoded request bodies.
 */

/** A decoded JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object: not null, not an array. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of two JSON values (key order does not matter, array order does). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keysA = Object.keys(a);
    if (keysA.length !== Object.keys(b).length) return false;
    return keysA.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

/**
 * A deep copy of a JSON value. Hand-written rather than `structuredClone`: on decoded JSON it is several times
 * faster (the serialisation round trip of structuredClone dominated server-side apply profiles). Values other than
 * arrays and plain objects are JSON leaves here and copied by reference.
 */
export function clone<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i]);
    return out;
  }
  const out: JsonObject = {};
  for (const key of Object.keys(value)) out[key] = copy((value as JsonObject)[key]);
  return out;
}

/**
 * `cloneSharingManagedFields` for an object the caller hands over: the same result without copying what is the
 * caller's own. Metadata is copied (managedFields shared) and so is every top-level value that is `old`'s own (an
 * update that kept the stored status or spec); the other top-level values are taken as they are.
 */
export function adoptSharingManagedFields<T extends object>(value: T, old: object | undefined): T {
  const o = old as JsonObject | undefined;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const v = (value as JsonObject)[key];
    if (key === 'metadata') out[key] = cloneSharingManagedFields({ metadata: v }).metadata;
    else out[key] = o !== undefined && typeof v === 'object' && v !== null && o[key] === v ? copy(v) : v;
  }
  return out as T;
}

/**
 * A deep copy of an object with `metadata`, except `metadata.managedFields`, which is shared (`drop`: left out).
 * Stored objects are never mutated and nothing edits managedFields in place (entries are replaced), so sharing keeps
 * the identity of their `fieldsV1` trees, whose decoded field sets are cached by identity (field-set.ts): a full
 * copy made every write decode every manager's set again.
 */
export function cloneSharingManagedFields<T extends object>(value: T, drop = false): T {
  const meta = (value as JsonObject).metadata;
  if (!isObject(meta) || !Object.hasOwn(meta, 'managedFields')) return clone(value);
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    if (key !== 'metadata') { out[key] = copy((value as JsonObject)[key]); continue; }
    const m: JsonObject = {};
    for (const k of Object.keys(meta)) {
      if (k !== 'managedFields') m[k] = copy(meta[k]);
      else if (!drop) m[k] = meta[k];
    }
    out[key] = m;
  }
  return out as T;
}
