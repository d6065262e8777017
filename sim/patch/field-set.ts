/**
 * Sets of field paths, the unit of ownership of server-side apply, in the notation of `managedFields[].fieldsV1`:
 * `f:<field>` a map key, `k:{"name":"app"}` an element of an associative list, `v:"x"` a member of a set list,
 * `i:3` a list index, and `.` the node itself when it also has owned children.
 */
import { deepEqual, isObject } from './json-value.ts';
import type { JsonObject } from './json-value.ts';
import { elementKey, listStrategy, matchesKey } from './list-keys.ts';

/** One step of a field path: `f:data`, `k:{"name":"app"}`, `v:"x"`, `i:0`. */
export type FieldPath = readonly string[];

/** An immutable-by-convention set of field paths. */
export class FieldSet {
  private readonly members = new Map<string, FieldPath>();

  constructor(paths: Iterable<FieldPath> = []) {
    for (const p of paths) this.members.set(pathKey(p), p);
  }

  /** A set from already-keyed members (the set operations keep the keys instead of recomputing them). */
  private static of(entries: Iterable<[string, FieldPath]>): FieldSet {
    const set = new FieldSet();
    for (const [k, p] of entries) set.members.set(k, p);
    return set;
  }

  get size(): number { return this.members.size; }
  paths(): FieldPath[] { return [...this.members.values()]; }
  has(path: FieldPath): boolean { return this.members.has(pathKey(path)); }
  union(other: FieldSet): FieldSet {
    if (other.size === 0) return this;
    if (this.size === 0) return other;
    return FieldSet.of([...this.members, ...other.members]);
  }
  minus(other: FieldSet): FieldSet {
    if (other.size === 0 || this.size === 0) return this;
    return FieldSet.of([...this.members].filter(([k]) => !other.members.has(k)));
  }
  intersect(other: FieldSet): FieldSet { return FieldSet.of([...this.members].filter(([k]) => other.members.has(k))); }
  equals(other: FieldSet): boolean {
    if (this === other) return true;
    if (this.size !== other.size) return false;
    for (const k of this.members.keys()) if (!other.members.has(k)) return false;
    return true;
  }
  /** True when some member lies strictly below `prefix`. */
  hasBelow(prefix: FieldPath): boolean {
    return this.paths().some((p) => p.length > prefix.length && prefix.every((e, i) => p[i] === e));
  }
}

/**
 * The identity of a path inside a set: each element prefixed by its length, which cannot be ambiguous whatever
 * characters the elements hold (and is much cheaper than JSON.stringify, which dominated apply profiles).
 */
function pathKey(path: FieldPath): string {
  let key = '';
  for (const element of path) key += `${element.length}:${element}`;
  return key;
}

/** Metadata the server owns: never part of anyone's fields. */
const serverMetadata = new Set([
  'name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'managedFields', 'selfLink',
]);

/** The fields set in `object` (every leaf, every associative-list element), as server-side apply counts them. */
export function fieldSetOf(object: JsonObject, subresource: '' | 'status'): FieldSet {
  const out: FieldPath[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (subresource === 'status' && key !== 'status') continue;
    if (key === 'metadata' && isObject(value)) {
      for (const [m, v] of Object.entries(value)) if (!serverMetadata.has(m)) walk(v, ['f:metadata', `f:${m}`], m, out);
      continue;
    }
    walk(value, [`f:${key}`], key, out);
  }
  return new FieldSet(out);
}

function walk(value: unknown, path: FieldPath, field: string, out: FieldPath[]): void {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [key, v] of Object.entries(value)) walk(v, [...path, `f:${key}`], key, out);
    return;
  }
  if (!Array.isArray(value) || value.length === 0) {
    out.push(path);
    return;
  }
  const strategy = listStrategy(field, value);
  if (strategy.type === 'atomic') {
    out.push(path);
    return;
  }
  for (const item of value) {
    if (strategy.type === 'set') {
      out.push([...path, `v:${JSON.stringify(item)}`]);
      continue;
    }
    const itemPath = [...path, `k:${JSON.stringify(elementKey(item, strategy.keys))}`];
    out.push(itemPath);
    if (isObject(item)) for (const [key, v] of Object.entries(item)) walk(v, [...itemPath, `f:${key}`], key, out);
  }
}

/** The `fieldsV1` tree of a set. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  const members: JsonObject[] = [];
  for (const path of set.paths()) {
    let node = root;
    for (const element of path) {
      const next = node[element];
      node = isObject(next) ? next : (node[element] = {});
    }
    members.push(node);
  }
  for (const node of members) if (Object.keys(node).length > 0 && !('.' in node)) node['.'] = {};
  decoded.set(root, set);
  return root;
}

/**
 * Decoded `fieldsV1` trees by identity: stored objects are never mutated, so the tree of a manager that did not
 * change decodes once, not on every write to the object.
 */
const decoded = new WeakMap<object, FieldSet>();

/** The set a `fieldsV1` tree describes. */
export function fromFieldsV1(tree: unknown): FieldSet {
  const known = isObject(tree) ? decoded.get(tree) : undefined;
  if (known !== undefined) return known;
  const out: FieldPath[] = [];
  const visit = (node: JsonObject, path: FieldPath): void => {
    for (const [key, child] of Object.entries(node)) {
      if (key === '.') out.push(path);
      else if (!isObject(child) || Object.keys(child).length === 0) out.push([...path, key]);
      else visit(child, [...path, key]);
    }
  };
  if (!isObject(tree)) return new FieldSet(out);
  visit(tree, []);
  const set = new FieldSet(out);
  decoded.set(tree, set);
  return set;
}

/** The value at `path` in `object`, or `{found: false}`. */
export function valueAt(object: unknown, path: FieldPath): { found: boolean; value?: unknown } {
  let current: unknown = object;
  for (const element of path) {
    const next = step(current, element);
    if (next === undefined) return { found: false };
    current = next.value;
  }
  return { found: true, value: current };
}

function step(container: unknown, element: string): { value: unknown; index: number | string } | undefined {
  const body = element.slice(2);
  if (element.startsWith('f:')) {
    return isObject(container) && Object.hasOwn(container, body) ? { value: container[body], index: body } : undefined;
  }
  if (!Array.isArray(container)) return undefined;
  const decoded: unknown = element.startsWith('i:') ? Number(body) : JSON.parse(body);
  let index = -1;
  if (element.startsWith('i:')) index = typeof decoded === 'number' && decoded < container.length ? decoded : -1;
  else if (element.startsWith('k:') && isObject(decoded)) index = container.findIndex((item) => matchesKey(item, decoded));
  else if (element.startsWith('v:')) index = container.findIndex((item) => deepEqual(item, decoded));
  return index >= 0 ? { value: container[index], index } : undefined;
}

/** Delete the field or list element at `path` from `object` (in place); no-op when absent. */
export function removeAt(object: unknown, path: FieldPath): void {
  const last = path[path.length - 1];
  if (last === undefined) return;
  const parent = valueAt(object, path.slice(0, -1));
  if (!parent.found) return;
  const target = step(parent.value, last);
  if (target === undefined) return;
  if (Array.isArray(parent.value) && typeof target.index === 'number') parent.value.splice(target.index, 1);
  else if (isObject(parent.value) && typeof target.index === 'string') delete parent.value[target.index];
}

/** structured-merge-diff's printed path: `.data.key`, `.spec.containers[name="app"].image`, `[="x"]`. */
export function pathString(path: FieldPath): string {
  return path
    .map((element) => {
      const body = element.slice(2);
      if (element.startsWith('f:')) return `.${body}`;
      if (element.startsWith('i:')) return `[${body}]`;
      if (element.startsWith('v:')) return `[=${body}]`;
      const key: unknown = JSON.parse(body);
      const parts = isObject(key) ? Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`) : [];
      return `[${parts.join(',')}]`;
    })
    .join('');
}
