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

/** The paths `fieldSetOf` counts for `value`, the value of field `field` found at `path`. */
export function pathsBelow(value: unknown, path: FieldPath, field: string): FieldPath[] {
  const out: FieldPath[] = [];
  walk(value, path, field, out);
  return out;
}

/** Metadata fields the server owns (never in a field set). */
export function isServerMetadata(field: string): boolean {
  return serverMetadata.has(field);
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

/**
 * `toFieldsV1(fieldSetOf(object, subresource))` built in one walk of the object, without the intermediate paths and
 * set (a create records every field: the paths, their keys and the tree from them showed in every create's profile).
 */
export function fieldsV1Of(object: JsonObject, subresource: '' | 'status'): JsonObject {
  const root: JsonObject = {};
  const members: JsonObject[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (subresource === 'status' && key !== 'status') continue;
    if (key === 'metadata' && isObject(value)) {
      for (const [m, v] of Object.entries(value)) {
        if (!serverMetadata.has(m)) treeWalk(v, childNode(childNode(root, 'f:metadata'), `f:${m}`), m, members);
      }
      continue;
    }
    treeWalk(value, childNode(root, `f:${key}`), key, members);
  }
  for (const node of members) if (hasKeys(node) && !('.' in node)) node['.'] = {};
  return root;
}

function childNode(node: JsonObject, element: string): JsonObject {
  let next = node[element] as JsonObject | undefined;
  if (next === undefined) {
    next = {};
    node[element] = next;
  }
  return next;
}

/** `walk`, writing the tree: `node` is the node of the value's path (each call yields a member at or below it). */
function treeWalk(value: unknown, node: JsonObject, field: string, members: JsonObject[]): void {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [key, v] of Object.entries(value)) treeWalk(v, childNode(node, `f:${key}`), key, members);
    return;
  }
  if (!Array.isArray(value) || value.length === 0) {
    members.push(node);
    return;
  }
  const strategy = listStrategy(field, value);
  if (strategy.type === 'atomic') {
    members.push(node);
    return;
  }
  for (const item of value) {
    if (strategy.type === 'set') {
      members.push(childNode(node, `v:${JSON.stringify(item)}`));
      continue;
    }
    const itemNode = childNode(node, `k:${JSON.stringify(elementKey(item, strategy.keys))}`);
    members.push(itemNode);
    if (isObject(item)) for (const [key, v] of Object.entries(item)) treeWalk(v, childNode(itemNode, `f:${key}`), key, members);
  }
}

/** The `fieldsV1` tree of a set. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  const members: JsonObject[] = [];
  for (const path of set.paths()) {
    let node = root;
    for (const element of path) {
      // Every node here is one this loop created (elements start with `f:`, `k:`, `v:` or `i:`: never a prototype key).
      let next = node[element] as JsonObject | undefined;
      if (next === undefined) {
        next = {};
        node[element] = next;
      }
      node = next;
    }
    members.push(node);
  }
  for (const node of members) if (hasKeys(node) && !('.' in node)) node['.'] = {};
  decoded.set(root, set);
  return root;
}

function hasKeys(node: JsonObject): boolean {
  for (const _ in node) return true;
  return false;
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
  if (!isObject(tree)) return new FieldSet(out);
  visitFields(tree, [], out);
  const set = new FieldSet(out);
  decoded.set(tree, set);
  return set;
}

/** The members of a `fieldsV1` (sub)tree at `path`. A module function: a closure per call cost a name definition. */
function visitFields(node: JsonObject, path: FieldPath, out: FieldPath[]): void {
  for (const [key, child] of Object.entries(node)) {
    if (key === '.') out.push(path);
    else if (!isObject(child) || Object.keys(child).length === 0) out.push([...path, key]);
    else visitFields(child, [...path, key], out);
  }
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
