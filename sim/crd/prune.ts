/**
 * Structural pruning (apiextensions `pruning.Prune`): fields the schema does not specify are dropped, except below
 * `x-kubernetes-preserve-unknown-fields: true`. At the resource root (and in embedded resources) `apiVersion`,
 * `kind` and `metadata` are always kept; `metadata` keeps only the fields ObjectMeta knows (the real server
 * round-trips it through the typed ObjectMeta).
 */
import type { JsonSchema } from './schema.ts';
import { isPlainObject, preservesUnknown } from './schema.ts';

const OBJECT_META_FIELDS = new Set([
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers',
  'clusterName', 'managedFields',
]);

/** Prunes `obj` (a whole custom resource) in place against the version's root schema. */
export function pruneObject(obj: Record<string, unknown>, schema: JsonSchema | undefined): void {
  pruneValue(obj, schema, true);
}

function pruneMetadata(meta: unknown): void {
  if (!isPlainObject(meta)) return;
  for (const k of Object.keys(meta)) if (!OBJECT_META_FIELDS.has(k)) delete meta[k];
}

function pruneValue(x: unknown, s: JsonSchema | undefined, isResourceRoot: boolean): void {
  if (Array.isArray(x)) {
    if (!s) return;
    for (const item of x) pruneValue(item, s.items, false);
    return;
  }
  if (!isPlainObject(x)) return;
  const embedded = isResourceRoot || s?.['x-kubernetes-embedded-resource'] === true;
  for (const k of Object.keys(x)) {
    if (embedded && (k === 'apiVersion' || k === 'kind')) continue;
    if (embedded && k === 'metadata') {
      pruneMetadata(x[k]);
      continue;
    }
    if (!s) {
      delete x[k];
      continue;
    }
    const prop = s.properties?.[k];
    const additional = isPlainObject(s.additionalProperties) ? (s.additionalProperties) : undefined;
    if (prop) pruneValue(x[k], prop, false);
    else if (additional) pruneValue(x[k], additional, false);
    else if (s.additionalProperties === true || preservesUnknown(s)) continue;
    else delete x[k];
  }
}

/**
 * Drops `null` values of fields that are neither nullable nor defaulted (defaulting's
 * `PruneNonNullableNullsWithoutDefaults`), so that they read as absent.
 */
export function pruneNonNullableNulls(x: unknown, s: JsonSchema | undefined): void {
  if (!s) return;
  if (Array.isArray(x)) {
    for (const item of x) pruneNonNullableNulls(item, s.items);
    return;
  }
  if (!isPlainObject(x)) return;
  const additional = isPlainObject(s.additionalProperties) ? (s.additionalProperties) : undefined;
  for (const k of Object.keys(x)) {
    const ps = s.properties?.[k] ?? additional;
    if (!ps) continue;
    if (x[k] === null && ps.default === undefined && ps.nullable !== true) delete x[k];
    else pruneNonNullableNulls(x[k], ps);
  }
}
