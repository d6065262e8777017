/**
 * Strategic merge patch, `application/strategic-merge-patch+json`, for built-in kinds: like a merge patch, except
 * that the lists known to `list-keys.ts` merge element by element (containers and env by name, ...) and the
 * directives `$patch: replace|delete`, `$retainKeys`, `$deleteFromPrimitiveList/<field>` and
 * `$setElementOrder/<field>` (ignored: order is kept as stored, new elements appended) are honoured.
 */
import { clone, deepEqual, isObject } from './json-value.ts';
import type { JsonObject } from './json-value.ts';
import { elementKey, listStrategy, matchesKey } from './list-keys.ts';

/** The result of applying the strategic merge `patch` to `original`; neither is modified. */
export function strategicMerge(original: unknown, patch: unknown): unknown {
  return mergeValue(original, patch, '');
}

/** Returns undefined when the value is to be deleted (`$patch: delete`). */
function mergeValue(original: unknown, patch: unknown, field: string): unknown {
  if (isObject(patch)) return mergeObject(original, patch);
  if (Array.isArray(patch)) return mergeList(Array.isArray(original) ? original : [], patch, field);
  return clone(patch);
}

function mergeObject(original: unknown, patch: JsonObject): unknown {
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch === 'replace') return stripDirectives(patch);
  const result: JsonObject = isObject(original) ? clone(original) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const target = key.slice('$deleteFromPrimitiveList/'.length);
      const current = result[target];
      if (Array.isArray(current) && Array.isArray(value)) {
        result[target] = current.filter((item) => !value.some((v) => deepEqual(v, item)));
      }
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const merged = mergeValue(result[key], value, key);
    if (merged === undefined) delete result[key];
    else result[key] = merged;
  }
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) {
    for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  }
  return result;
}

function mergeList(original: unknown[], patch: unknown[], field: string): unknown[] {
  const strategy = listStrategy(field, [...original, ...patch]);
  if (strategy.type === 'set') {
    const result = clone(original);
    for (const item of patch) if (!result.some((r) => deepEqual(r, item))) result.push(clone(item));
    return result;
  }
  if (strategy.type === 'atomic') return patch.map(stripDirectives);
  if (patch.some((item) => isObject(item) && item.$patch === 'replace')) {
    return patch.filter((item) => !(isObject(item) && item.$patch === 'replace')).map(stripDirectives);
  }
  let result = clone(original);
  for (const item of patch) {
    const key = elementKey(item, strategy.keys);
    if (key === undefined) continue;
    const index = result.findIndex((r) => matchesKey(r, key));
    if (isObject(item) && item.$patch === 'delete') {
      result = result.filter((r) => !matchesKey(r, key));
    } else if (index >= 0) {
      result[index] = mergeObject(result[index], item as JsonObject);
    } else {
      result.push(stripDirectives(item));
    }
  }
  return result;
}

/** A copy of `value` without `$...` directive keys, for content that is inserted rather than merged. */
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) if (!key.startsWith('$')) out[key] = stripDirectives(v);
  return out;
}
