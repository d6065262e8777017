/**
 * How a list of a built-in kind merges, by the list's field name: the `patchMergeKey`/`patchStrategy` tags of the
 * Kubernetes Go types (strategic merge patch) and the `listType=map`/`listMapKeys` of their OpenAPI (server-side
 * apply). Only the lists Nimbus objects use are known; every other list is atomic (replaced as a whole).
 */
import { isObject } from './json-value.ts';

export type ListStrategy =
  | { type: 'map'; keys: string[] }
  | { type: 'set' }
  | { type: 'atomic' };

const byName = new Set([
  'containers', 'initContainers', 'ephemeralContainers', 'env', 'volumes', 'imagePullSecrets', 'secrets',
]);
const single: Record<string, string> = {
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  ownerReferences: 'uid',
  conditions: 'type',
  hostAliases: 'ip',
};
const sets = new Set(['finalizers']);

/**
 * The merge strategy of the list in field `field`. `items` are the elements on both sides: a keyed strategy only
 * holds when every object element carries its key (container ports are keyed by `containerPort`, Service ports by
 * `port`), otherwise the list is treated as atomic.
 */
export function listStrategy(field: string, items: unknown[]): ListStrategy {
  if (sets.has(field)) return items.every((i) => !isObject(i) && !Array.isArray(i)) ? { type: 'set' } : { type: 'atomic' };
  let key: string | undefined = byName.has(field) ? 'name' : single[field];
  if (field === 'ports') key = items.some((i) => isObject(i) && 'containerPort' in i) ? 'containerPort' : 'port';
  if (key === undefined) return { type: 'atomic' };
  const k = key;
  const keyed = items.every((i) => isObject(i) && (i[k] !== undefined || i.$patch === 'replace'));
  return keyed ? { type: 'map', keys: [k] } : { type: 'atomic' };
}

/** The key values of a list element, `{name: "app"}`, or undefined when it lacks one. */
export function elementKey(item: unknown, keys: string[]): Record<string, unknown> | undefined {
  if (!isObject(item)) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (item[k] === undefined) return undefined;
    out[k] = item[k];
  }
  return out;
}

/** True when `item` has the key values `key`. */
export function matchesKey(item: unknown, key: Record<string, unknown>): boolean {
  return isObject(item) && Object.entries(key).every(([k, v]) => item[k] === v);
}
