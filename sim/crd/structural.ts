/**
 * The checks apiextensions makes on a CRD's openAPIV3Schema: structural-schema invariants (every specified node
 * has a `type`, `items` for arrays, object at the root, metadata limited to name/generateName, ...), a few OpenAPI
 * restrictions, and — only when the schema is structural — the validity of every `default` and CEL rule.
 * Fields are rendered like `field.Path`: `properties[spec].items.type`.
 */
import type { Cause } from '#sim/types.ts';
import type { JsonSchema } from './schema.ts';
import { cloneJson, isPlainObject } from './schema.ts';
import { forbidden, invalid, required } from './messages.ts';
import { validateSchema } from './validate.ts';
import { pruneObject } from './prune.ts';
import { celCompileError } from './cel.ts';
import { goQuote } from './go-format.ts';

type Level = 'root' | 'item' | 'field';

function nodeChildren(s: JsonSchema, path: string): [JsonSchema, string, Level][] {
  const out: [JsonSchema, string, Level][] = [];
  if (s.items && isPlainObject(s.items)) out.push([s.items, `${path}.items`, 'item']);
  for (const k of Object.keys(s.properties ?? {}).sort()) {
    const p = s.properties?.[k];
    if (p) out.push([p, `${path}.properties[${k}]`, 'field']);
  }
  if (isPlainObject(s.additionalProperties)) {
    out.push([s.additionalProperties, `${path}.additionalProperties`, 'field']);
  }
  return out;
}

function checkMetadata(s: JsonSchema, path: string, causes: Cause[]): void {
  const meta = s.properties?.['metadata'];
  if (!meta) return;
  const mpath = `${path}.properties[metadata]`;
  if (meta.type !== undefined && meta.type !== 'object') causes.push(invalid(`${mpath}.type`, meta.type, 'must be object'));
  const allowed = new Set(['name', 'generateName']);
  const props = Object.keys(meta.properties ?? {});
  const extraKeys = Object.keys(meta).filter((k) => !['type', 'properties', 'description'].includes(k));
  if (props.some((p) => !allowed.has(p)) || extraKeys.length > 0) {
    causes.push(forbidden(mpath, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  }
}

function checkNode(s: JsonSchema, path: string, lvl: Level, causes: Cause[]): void {
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'];
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (s.type === 'array' && !s.items) causes.push(required(`${path}.items`, 'must be specified'));
  for (const [c, cpath, clvl] of nodeChildren(s, path)) checkNode(c, cpath, clvl, causes);
  if (!s.type && !intOrString && preserve !== true && !embedded) {
    const detail = { root: 'must not be empty at the root', item: 'must not be empty for specified array items', field: 'must not be empty for specified object fields' }[lvl];
    causes.push(required(`${path}.type`, detail));
  }
  if (intOrString && s.type) causes.push(invalid(`${path}.type`, s.type, 'must be empty if x-kubernetes-int-or-string is true'));
  if (preserve === false) causes.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  if (embedded && s.type !== 'object') causes.push(invalid(`${path}.type`, s.type ?? '', 'must be object if x-kubernetes-embedded-resource is true'));
  if (lvl === 'root' && s.type && s.type !== 'object') causes.push(invalid(`${path}.type`, s.type, 'must be object at the root'));
  if (s.properties && Object.keys(s.properties).length > 0 && s.additionalProperties !== undefined && s.additionalProperties !== true) {
    causes.push(forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  }
  if (s.uniqueItems === true) {
    causes.push(forbidden(`${path}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  }
  if (s['$ref'] !== undefined) causes.push(forbidden(`${path}.$ref`, '$ref is not supported'));
  if (typeof s.pattern === 'string') {
    try {
      new RegExp(s.pattern);
    } catch (err) {
      causes.push(invalid(`${path}.pattern`, s.pattern, `must be a valid regular expression, but isn't: ${(err as Error).message}`));
    }
  }
  if (lvl === 'root' || embedded) checkMetadata(s, path, causes);
}

function ruleValue(rule: { rule?: unknown; message?: unknown }): string {
  const r = typeof rule.rule === 'string' ? rule.rule : '';
  const m = typeof rule.message === 'string' ? rule.message : '';
  return `apiextensions.ValidationRule{Rule:${goQuote(r)}, Message:${goQuote(m)}}`;
}

/** Defaults must validate against their own node schema and must not carry fields pruning would drop. */
function checkDefaultsAndRules(s: JsonSchema, path: string, causes: Cause[]): void {
  if (s.default !== undefined && s.default !== null) {
    const errs = validateSchema(s.default, s, `${path}.default`);
    causes.push(...errs);
    if (errs.length === 0 && isPlainObject(s.default)) {
      const pruned = cloneJson(s.default);
      pruneObjectLike(pruned, s);
      if (JSON.stringify(pruned) !== JSON.stringify(s.default)) {
        causes.push(invalid(`${path}.default`, s.default, 'must not have unknown fields'));
      }
    }
  }
  (s['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
    const rpath = `${path}.x-kubernetes-validations[${i}].rule`;
    if (typeof rule.rule !== 'string' || rule.rule.trim() === '') {
      causes.push(required(rpath));
      return;
    }
    const err = celCompileError(rule.rule);
    if (err) {
      causes.push({ field: rpath, reason: 'FieldValueInvalid', message: `Invalid value: ${ruleValue(rule)}: compilation failed: ERROR: <input>: ${err}` });
    }
  });
  for (const [c, cpath] of nodeChildren(s, path)) checkDefaultsAndRules(c, cpath, causes);
}

/** Pruning of a default value: like a resource but without the root's apiVersion/kind/metadata exception. */
function pruneObjectLike(v: Record<string, unknown>, s: JsonSchema): void {
  const wrapper = { apiVersion: '', kind: '', metadata: {}, v };
  pruneObject(wrapper, { type: 'object', properties: { v: s } });
}

/** All schema causes of one openAPIV3Schema at `path` (e.g. `spec.validation.openAPIV3Schema`). */
export function checkSchema(schema: JsonSchema, path: string): Cause[] {
  const causes: Cause[] = [];
  checkNode(schema, path, 'root', causes);
  if (causes.length === 0) checkDefaultsAndRules(schema, path, causes);
  return causes;
}
