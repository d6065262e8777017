/**
 * What a plain write changed, in field-set terms: the fields of the new object that are new or hold another value
 * (`changed`) and the fields of the old object that are gone (`gone`). Exactly what comparing the two full field
 * sets gives (`fieldSetOf` of both, then `valueAt` per path), but computed by walking both objects together: equal
 * subtrees (the same stored node, shared by a status write) are skipped, and plain object keys are compared in place
 * instead of being looked up again from the root for every leaf (which dominated the profile of status updates).
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { deepEqual, isObject } from './json-value.ts';
import { FieldSet, fieldSetOf, isServerMetadata, pathsBelow, valueAt } from './field-set.ts';
import type { FieldPath } from './field-set.ts';

/** The changed and gone fields of a write from `old` to `updated` (of `subresource`). */
export interface FieldChanges { changed: FieldSet; gone: FieldSet }

/** The field changes of a write; `old` undefined is a create (every field changed). */
export function fieldChanges(old: KubeObject | undefined, updated: KubeObject, subresource: '' | 'status'): FieldChanges {
  if (old === undefined) return { changed: fieldSetOf(updated, subresource), gone: new FieldSet() };
  const d = new Diff(old, updated);
  const metaOld: unknown = old.metadata;
  const metaNew: unknown = updated.metadata;
  if (!isObject(metaOld) || !isObject(metaNew)) return d.whole(subresource);
  for (const key of unionKeys(updated, old)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (subresource === 'status' && key !== 'status') continue;
    if (key === 'metadata') {
      for (const m of unionKeys(metaNew, metaOld)) {
        if (!isServerMetadata(m)) d.node(metaOld, metaNew, m, ['f:metadata', `f:${m}`]);
      }
      continue;
    }
    d.node(old, updated, key, [`f:${key}`]);
  }
  return { changed: new FieldSet(d.changed), gone: new FieldSet(d.gone) };
}

/** Keys of `first` in their order, then those only in `second` (changed paths keep the new object's order). */
function unionKeys(first: object, second: object): string[] {
  const keys = Object.keys(first);
  for (const k of Object.keys(second)) if (!Object.hasOwn(first, k)) keys.push(k);
  return keys;
}

function nonEmptyObject(v: unknown): v is Record<string, unknown> {
  return isObject(v) && Object.keys(v).length > 0;
}

class Diff {
  readonly changed: FieldPath[] = [];
  readonly gone: FieldPath[] = [];
  private readonly old: KubeObject;
  private readonly updated: KubeObject;

  constructor(old: KubeObject, updated: KubeObject) {
    this.old = old;
    this.updated = updated;
  }

  /** The field `key` of the parents `before` / `after` (objects), at `path`. */
  node(beforeParent: Record<string, unknown>, afterParent: Record<string, unknown>, key: string, path: FieldPath): void {
    const hasBefore = Object.hasOwn(beforeParent, key);
    const hasAfter = Object.hasOwn(afterParent, key);
    const before = beforeParent[key];
    const after = afterParent[key];
    if (hasBefore && hasAfter && before === after) return; // the same node: same fields, same values
    if (nonEmptyObject(before) && nonEmptyObject(after)) {
      // Both sides count their keys' fields: compare key by key (paths below different keys never meet).
      for (const k of unionKeys(after, before)) this.node(before, after, k, [...path, `f:${k}`]);
      return;
    }
    const a = hasAfter ? pathsBelow(after, path, key) : [];
    const b = new FieldSet(hasBefore ? pathsBelow(before, path, key) : []);
    const aSet = new FieldSet(a);
    for (const p of a) {
      if (!b.has(p)) { this.changed.push(p); continue; }
      // `path` is reached through object keys only, so the values there are `before` / `after` themselves.
      const same = p.length === path.length ? deepEqual(before, after) : deepEqual(valueAt(this.old, p).value, valueAt(this.updated, p).value);
      if (!same) this.changed.push(p);
    }
    for (const p of b.paths()) if (!aSet.has(p)) this.gone.push(p);
  }

  /** The full comparison (objects without an object `metadata`, which real writes never have). */
  whole(subresource: '' | 'status'): FieldChanges {
    const before = fieldSetOf(this.old, subresource);
    const after = fieldSetOf(this.updated, subresource);
    const changed = new FieldSet(after.paths().filter((p) => {
      if (!before.has(p)) return true;
      return !deepEqual(valueAt(this.old, p).value, valueAt(this.updated, p).value);
    }));
    return { changed, gone: before.minus(after) };
  }
}
