/**
 * JSON merge patch (RFC 7386), `application/merge-patch+json`: objects merge recursively, `null` deletes a key,
 * anything else (arrays included) replaces.
 */
import { clone, isObject } from './json-value.ts';

/** The result of merging `patch` into `target`; neither input is modified. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: Record<string, unknown> = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}
