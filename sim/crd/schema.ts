/**
 * The structural OpenAPI v3 schema of a CRD version, as the prune / default / validate / CEL walkers read it.
 * Plain JSON: the schema comes straight from `spec.versions[].schema.openAPIV3Schema`.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { clone } from '#sim/patch/json-value.ts';

/** One CEL rule of `x-kubernetes-validations`. */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
}

/** The subset of JSONSchemaProps the sim understands. */
export interface JsonSchema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-validations'?: ValidationRule[];
  [key: string]: unknown;
}

/** A JSON object (not an array, not null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The versions of a CRD, as plain records. */
export function crdVersions(crd: KubeObject): Record<string, unknown>[] {
  const spec = isPlainObject(crd['spec']) ? crd['spec'] : {};
  const versions = spec['versions'];
  return Array.isArray(versions) ? versions.filter(isPlainObject) : [];
}

/** The openAPIV3Schema of `version`, or undefined when the version has none. */
export function versionSchema(crd: KubeObject, version: string): JsonSchema | undefined {
  const v = crdVersions(crd).find((x) => x['name'] === version);
  const schema = v && isPlainObject(v['schema']) ? v['schema']['openAPIV3Schema'] : undefined;
  return isPlainObject(schema) ? (schema) : undefined;
}

/** The schema of property `key` of an object schema: `properties[key]`, else `additionalProperties` when a schema. */
export function propertySchema(schema: JsonSchema, key: string): JsonSchema | undefined {
  const p = schema.properties?.[key];
  if (p) return p;
  const ap = schema.additionalProperties;
  return isPlainObject(ap) ? (ap) : undefined;
}

/** Whether unknown fields below this schema are kept (and not validated). */
export function preservesUnknown(schema: JsonSchema): boolean {
  return schema['x-kubernetes-preserve-unknown-fields'] === true;
}

/** A deep copy of a JSON value (hand-written: structuredClone's serialisation round trip dominated admission). */
export function cloneJson<T>(v: T): T {
  return clone(v);
}
