/**
 * Server-side apply, approximated (see README.md for how it differs from structured-merge-diff): field ownership
 * per manager in `metadata.managedFields`, conflicts with other owners of a field whose value would change, `force`
 * moves ownership, and a manager's fields that it stops applying are removed unless someone else owns them.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { clone, cloneSharingManagedFields, deepEqual, isObject } from './json-value.ts';
import type { JsonObject } from './json-value.ts';
import { FieldSet, fieldSetOf, fieldsV1Of, pathString, removeAt, valueAt } from './field-set.ts';
import type { FieldPath } from './field-set.ts';
import { elementKey, listStrategy, matchesKey } from './list-keys.ts';
import { isEntryOf, managedTime, newEntry, readOwnership, writeOwnership } from './managed-fields.ts';
import type { ManagedFieldsEntry, Ownership } from './managed-fields.ts';
import { applyConflict } from './status.ts';

export interface ServerSideApplyArgs {
  /** The stored object, or undefined when the apply creates it. */
  live: KubeObject | undefined;
  /** The decoded apply body (YAML or JSON). */
  applied: KubeObject;
  /** `?fieldManager=` (required for apply; the caller checks its presence). */
  manager: string;
  /** `?force=true` */
  force: boolean;
  subresource: '' | 'status';
  /** Clock for managedFields times (tests). */
  now?: Date;
  /**
   * The caller hands `applied` over (a freshly decoded body it only reads afterwards): its nulls are dropped in
   * place instead of in a copy of the whole body.
   */
  owned?: boolean;
}

/**
 * The object after `manager` applies `applied` to `live`. Throws the real 409 Conflict StatusError when another
 * manager owns a field the apply would change and `force` is false. A no-op apply returns an object deep-equal to
 * `live` (managedFields times included), so the caller can keep its resourceVersion. Like a merge patch, a
 * `metadata.resourceVersion` in `applied` is carried into the result: the caller treats it as a precondition.
 */
export function serverSideApply(args: ServerSideApplyArgs): KubeObject {
  const { live, manager, force, subresource } = args;
  const now = args.now ?? new Date();
  // dropNulls copies every object and list; an owned body is cleaned in place.
  const applied = args.owned === true ? dropNullsInPlace(args.applied) : dropNulls(args.applied) as KubeObject;
  delete applied.metadata.managedFields;
  if (live === undefined) return applyCreate(applied, manager, subresource, now);
  const appliedSet = fieldSetOf(applied, subresource);
  const owners = readOwnership(live);
  const mine = owners.find((o) => isEntryOf(o.entry, manager, 'Apply', subresource));
  const previous = mine?.fields ?? new FieldSet();
  const others = owners.filter((o) => o !== mine);

  const conflicts = findConflicts(live, applied, appliedSet, others);
  if (conflicts.length > 0 && !force) {
    throw applyConflict(conflicts.map((c) => ({ manager: printManager(c.owner.entry), field: pathString(c.path) })));
  }
  for (const c of conflicts) c.owner.fields = c.owner.fields.minus(new FieldSet([c.path]));

  const base: KubeObject = live ? cloneSharingManagedFields(live, true) : { apiVersion: applied.apiVersion, kind: applied.kind, metadata: {} };
  delete base.metadata.managedFields;
  const result = mergeApplied(base, applied, '') as KubeObject;
  const ownedByOthers = others.reduce((acc, o) => acc.union(o.fields), new FieldSet());
  removeUnapplied(result, previous.minus(appliedSet).minus(ownedByOthers), ownedByOthers);

  const unchanged = live !== undefined && previous.equals(appliedSet) && equalButManaged(result, live);
  const entry: ManagedFieldsEntry = mine && unchanged
    ? mine.entry
    : { ...(mine?.entry ?? newEntry(manager, 'Apply', applied.apiVersion, subresource, now)),
        apiVersion: applied.apiVersion, time: managedTime(now) };
  const next: Ownership = { entry, fields: appliedSet };
  const all = mine ? owners.map((o) => (o === mine ? next : o)) : [...owners, next];
  const entries = writeOwnership(all);
  if (entries.length > 0) result.metadata.managedFields = entries;
  return result;
}

/**
 * An apply that creates the object: no owners, no conflicts, nothing unapplied; the manager owns every applied field.
 * What the general path gives, with the `fieldsV1` tree built straight from the applied object.
 */
function applyCreate(applied: KubeObject, manager: string, subresource: '' | 'status', now: Date): KubeObject {
  const fieldsV1 = fieldsV1Of(applied, subresource);
  // What merging into `{ apiVersion, kind, metadata: {} }` gives (those keys first, the rest in applied order),
  // without the deep copy: `applied` is the caller's (owned) or a copy (dropNulls), changed nowhere else.
  const result: KubeObject = { apiVersion: applied.apiVersion, kind: applied.kind, metadata: applied.metadata };
  for (const key of Object.keys(applied)) {
    if (key !== 'apiVersion' && key !== 'kind' && key !== 'metadata') result[key] = applied[key];
  }
  if (Object.keys(fieldsV1).length > 0) {
    result.metadata.managedFields = [{ ...newEntry(manager, 'Apply', applied.apiVersion, subresource, now), fieldsV1 }];
  }
  return result;
}

interface Conflict { owner: Ownership; path: FieldPath }

/** Fields `applied` sets to a value different from the live one, owned by another manager (any operation). */
function findConflicts(live: KubeObject | undefined, applied: KubeObject, set: FieldSet, others: Ownership[]): Conflict[] {
  if (live === undefined) return [];
  const out: Conflict[] = [];
  for (const owner of others) {
    for (const path of set.intersect(owner.fields).paths()) {
      if (!path[path.length - 1]?.startsWith('f:')) continue; // list elements themselves never conflict
      const now = valueAt(live, path);
      const wanted = valueAt(applied, path);
      if (!now.found || (isObject(wanted.value) && Object.keys(wanted.value).length > 0)) continue;
      if (!deepEqual(now.value, wanted.value)) out.push({ owner, path });
    }
  }
  return out;
}

/** How the real server names a manager in a conflict: `"alice"`, or `"kubectl" using v1 at <time>` for Update. */
function printManager(entry: ManagedFieldsEntry): string {
  const name = JSON.stringify(entry.manager);
  return entry.operation === 'Update' ? `${name} using ${entry.apiVersion} at ${entry.time}` : name;
}

/** Maps merge, associative lists merge by key, set lists union, everything else is replaced by the applied value. */
function mergeApplied(base: unknown, applied: unknown, field: string): unknown {
  if (isObject(applied)) {
    const result: JsonObject = isObject(base) ? base : {};
    for (const [key, value] of Object.entries(applied)) result[key] = mergeApplied(result[key], value, key);
    return result;
  }
  if (!Array.isArray(applied) || !Array.isArray(base)) return clone(applied);
  const baseList: unknown[] = base;
  const appliedList: unknown[] = applied;
  const strategy = listStrategy(field, [...baseList, ...appliedList]);
  if (strategy.type === 'atomic') return clone(appliedList);
  const result = [...baseList];
  for (const item of appliedList) {
    if (strategy.type === 'set') {
      if (!result.some((r) => deepEqual(r, item))) result.push(clone(item));
      continue;
    }
    const key = elementKey(item, strategy.keys) ?? {};
    const index = result.findIndex((r) => matchesKey(r, key));
    if (index >= 0) result[index] = mergeApplied(result[index], item, '');
    else result.push(clone(item));
  }
  return result;
}

/** Delete the fields in `removed`, deepest first; a list element stays while another manager owns part of it. */
function removeUnapplied(object: KubeObject, removed: FieldSet, ownedByOthers: FieldSet): void {
  const paths = removed.paths().sort((a, b) => b.length - a.length);
  for (const path of paths) {
    if (ownedByOthers.hasBelow(path)) continue;
    removeAt(object, path);
  }
}

/** Apply treats an explicit null like an absent field. */
function dropNulls(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const list: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) list[i] = dropNulls(value[i]);
    return list;
  }
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const v = (value as JsonObject)[key];
    if (v !== null) out[key] = dropNulls(v);
  }
  return out;
}

/** `dropNulls` on a value the caller owns: the same result, made by deleting the null members in place. */
function dropNullsInPlace<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (const item of value) dropNullsInPlace(item);
    return value;
  }
  const object = value as JsonObject;
  for (const key of Object.keys(object)) {
    const v = object[key];
    if (v === null) delete object[key];
    else if (typeof v === 'object') dropNullsInPlace(v);
  }
  return value;
}

/** Deep equality with `b.metadata.managedFields` ignored (`a` has none), without copying `b` to strip them. */
function equalButManaged(a: KubeObject, b: KubeObject): boolean {
  const keys = Object.keys(b);
  if (Object.keys(a).length !== keys.length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(a, key)) return false;
    if (key !== 'metadata' && !deepEqual(a[key], b[key])) return false;
  }
  const ma: JsonObject = a.metadata;
  const mb: JsonObject = b.metadata;
  const metaKeys = Object.keys(mb).filter((k) => k !== 'managedFields');
  if (Object.keys(ma).length !== metaKeys.length) return false;
  return metaKeys.every((k) => Object.hasOwn(ma, k) && deepEqual(ma[k], mb[k]));
}
