/**
 * Structural defaulting (apiextensions `defaulting.Default`): a property with a `default` that is absent (or a
 * non-nullable null) gets a copy of the default; then defaulting recurses into every present value, so defaults
 * apply inside objects and array items that exist (including ones that were just defaulted, like `settings: {}`),
 * never by creating a missing parent.
 */
import type { JsonSchema } from './schema.ts';
import { cloneJson, isPlainObject } from './schema.ts';

/** Applies the schema's defaults to `x` in place. */
export function applyDefaults(x: unknown, s: JsonSchema | undefined): void {
  if (!s) return;
  if (Array.isArray(x)) {
    const items = s.items;
    if (!items) return;
    x.forEach((v, i) => {
      if (v === null && items.nullable !== true && items.default !== undefined) x[i] = cloneJson(items.default);
      applyDefaults(x[i], items);
    });
    return;
  }
  if (!isPlainObject(x)) return;
  for (const [k, prop] of Object.entries(s.properties ?? {})) {
    if (prop.default === undefined) continue;
    if (!(k in x) || (x[k] === null && prop.nullable !== true)) x[k] = cloneJson(prop.default);
  }
  const additional = isPlainObject(s.additionalProperties) ? (s.additionalProperties) : undefined;
  for (const k of Object.keys(x)) {
    const prop = s.properties?.[k];
    if (prop) applyDefaults(x[k], prop);
    else if (additional) {
      if (x[k] === null && additional.nullable !== true && additional.default !== undefined) {
        x[k] = cloneJson(additional.default);
      }
      applyDefaults(x[k], additional);
    }
  }
}
