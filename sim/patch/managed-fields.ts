/**
 * `metadata.managedFields`: one entry per (manager, operation, subresource) with the fields it owns. Plain writes
 * (create, update, patch) record an `Update` entry here; server-side apply (ssa.ts) records `Apply` entries.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { isObject } from './json-value.ts';
import { FieldSet, fieldsV1Of, fromFieldsV1, toFieldsV1 } from './field-set.ts';
import { fieldChanges } from './field-diff.ts';

/** One `managedFields` entry, as the real server writes it. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  /** RFC 3339, seconds precision. */
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  /** Present only for a subresource (`status`). */
  subresource?: string;
}

/** A managed entry with its field set decoded. */
export interface Ownership {
  entry: ManagedFieldsEntry;
  fields: FieldSet;
}

/** The entries of an object, decoded; malformed entries are dropped. */
export function readOwnership(object: KubeObject | undefined): Ownership[] {
  const raw = object?.metadata.managedFields ?? [];
  return raw.flatMap((entry): Ownership[] => {
    if (!isObject(entry) || typeof entry.manager !== 'string') return [];
    const e = entry as unknown as ManagedFieldsEntry;
    // A shallow copy: entries are replaced, never mutated, and keeping the fieldsV1 tree's identity lets
    // fromFieldsV1 / writeOwnership reuse its decoded set.
    return [{ entry: { ...e }, fields: fromFieldsV1(e.fieldsV1) }];
  });
}

/** The entries to store: empty sets dropped, `fieldsV1` re-encoded for the changed ones. */
export function writeOwnership(owners: Ownership[]): ManagedFieldsEntry[] {
  return owners.filter((o) => o.fields.size > 0).map((o) => {
    const before = fromFieldsV1(o.entry.fieldsV1);
    return before.equals(o.fields) ? o.entry : { ...o.entry, fieldsV1: toFieldsV1(o.fields) };
  });
}

/** True when the entry belongs to this manager, operation and subresource. */
export function isEntryOf(entry: ManagedFieldsEntry, manager: string, operation: string, subresource: string): boolean {
  return entry.manager === manager && entry.operation === operation && (entry.subresource ?? '') === subresource;
}

/** The time format of managedFields: RFC 3339 in whole seconds. */
export function managedTime(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`; // YYYY-MM-DDTHH:mm:ss of the fixed-width ISO form
}

/** A new entry for `manager`. */
export function newEntry(
  manager: string, operation: 'Apply' | 'Update', apiVersion: string, subresource: '' | 'status', now: Date,
): ManagedFieldsEntry {
  const entry: ManagedFieldsEntry = {
    manager, operation, apiVersion, time: managedTime(now), fieldsType: 'FieldsV1', fieldsV1: {},
  };
  if (subresource !== '') entry.subresource = subresource;
  return entry;
}

/**
 * Record a plain write (create when `old` is undefined, update or non-apply patch otherwise) by `manager`: it takes
 * ownership of every field whose value it set or changed, other managers lose those fields, and fields that
 * disappeared are dropped from every entry. Returns `updated` with the new `metadata.managedFields`; when nothing
 * changed, the managedFields of `old` are kept as they are (so a no-op write stays deep-equal).
 */
export function recordUpdate(
  old: KubeObject | undefined, updated: KubeObject, manager: string, subresource: '' | 'status', now = new Date(),
): KubeObject {
  // The caller hands over `updated`: a shallow copy is enough to replace its managedFields. fieldSetOf never counts
  // managedFields, so `old` needs no stripped copy either.
  const result: KubeObject = { ...updated, metadata: { ...updated.metadata } };
  delete result.metadata.managedFields;
  if (old === undefined) {
    // A create: the manager owns every field (the tree built directly, without the set operations below).
    const fieldsV1 = fieldsV1Of(result, subresource);
    if (Object.keys(fieldsV1).length > 0) result.metadata.managedFields = [{ ...newEntry(manager, 'Update', result.apiVersion, subresource, now), fieldsV1 }];
    return result;
  }
  const { changed, gone } = fieldChanges(old, result, subresource);
  if (changed.size === 0 && gone.size === 0) {
    if (old?.metadata.managedFields !== undefined) result.metadata.managedFields = old.metadata.managedFields; // stored: never mutated
    return result;
  }
  const owners = readOwnership(old);
  for (const o of owners) o.fields = o.fields.minus(changed).minus(gone);
  let mine = owners.find((o) => isEntryOf(o.entry, manager, 'Update', subresource));
  if (mine === undefined) {
    mine = { entry: newEntry(manager, 'Update', result.apiVersion, subresource, now), fields: new FieldSet() };
    owners.push(mine);
  }
  mine.fields = mine.fields.union(changed);
  mine.entry = { ...mine.entry, time: managedTime(now), apiVersion: result.apiVersion };
  const entries = writeOwnership(owners);
  if (entries.length > 0) result.metadata.managedFields = entries;
  return result;
}

/** The manager name the real server derives from a User-Agent: the part before the first `/`. */
export function managerFromUserAgent(userAgent: string | undefined): string {
  const name = (userAgent ?? '').split('/')[0]?.trim() ?? '';
  return name.slice(0, 128);
}
