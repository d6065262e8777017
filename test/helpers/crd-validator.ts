/**
 * Checks a custom resource against a CRD file the way the API server would, well enough for unit tests: the
 * openAPIV3Schema (types, patterns, enums, minimums, unknown fields refused as with strict field validation) via ajv,
 * defaults applied, then every `x-kubernetes-validations` CEL rule via cel-js. Test support only; the sim does the
 * real thing.
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { Ajv } from 'ajv';
import { evaluate } from '@marcbachmann/cel-js';

type Schema = Record<string, unknown>;

/** Strips the Kubernetes extensions ajv does not know and refuses unknown fields where the CRD would prune them. */
function toJsonSchema(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-kubernetes-')) continue;
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, toJsonSchema(v)]));
    } else if ((key === 'items' || key === 'additionalProperties') && typeof value === 'object' && value !== null) {
      out[key] = toJsonSchema(value as Schema);
    } else out[key] = value;
  }
  if (schema['type'] === 'object' && schema['properties'] && schema['additionalProperties'] === undefined) {
    out['additionalProperties'] = false;
  }
  return out;
}

function celErrors(schema: Schema, value: unknown, path: string): string[] {
  if (value === undefined || value === null) return [];
  const errors: string[] = [];
  const rules = (schema['x-kubernetes-validations'] ?? []) as Array<{ rule: string; message?: string }>;
  for (const { rule, message } of rules) {
    if (evaluate(rule, { self: value }) !== true) errors.push(`${path}: ${message ?? `failed rule: ${rule}`}`);
  }
  const properties = schema['properties'] as Record<string, Schema> | undefined;
  if (properties && typeof value === 'object') {
    for (const [key, child] of Object.entries(properties)) {
      errors.push(...celErrors(child, (value as Record<string, unknown>)[key], `${path}.${key}`));
    }
  }
  return errors;
}

/** What the API server would make of an object: the error messages (empty when accepted), and the defaulted copy. */
export interface CrdVerdict { errors: string[]; value: unknown }

/** A validator for the CRD at `crdPath`. */
export function crdValidator(crdPath: string): (object: unknown) => CrdVerdict {
  const crd = yaml.load(readFileSync(crdPath, 'utf8')) as { spec: { versions: Array<{ schema: { openAPIV3Schema: Schema } }> } };
  const schema = crd.spec.versions[0]?.schema.openAPIV3Schema ?? {};
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, validateFormats: false });
  const validate = ajv.compile(toJsonSchema(schema));
  return (object) => {
    const copy: unknown = structuredClone(object);
    if (!validate(copy)) return { errors: (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`), value: copy };
    return { errors: celErrors(schema, copy, ''), value: copy };
  };
}
