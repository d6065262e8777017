/**
 * JSON merge patch (RFC 7386), `application/merge-patch+json`: objects merge recursively, `null` deletes a key,
 * anything else (arrays included) replaces.
 */
import { clone, isObject } from './json-value.ts';

/** The result of merging `patch` into `target`; neither input is modified. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  // One copy of the target, merged in place (a copy per level of the patch cost as much as the rest of a PATCH).
  return mergeInto(isObject(target) ? clone(target) : {}, patch);
}

/** Merges `patch` into `result`, a private copy that may be changed in place. */
function mergeInto(result: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (isObject(value)) {
      const current = result[key];
      result[key] = mergeInto(isObject(current) ? current : {}, value);
    } else result[key] = clone(value);
  }
  return result;
}
