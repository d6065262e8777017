/**
 * Validation of a CustomResourceDefinition create/update (apiextensions `ValidateCustomResourceDefinition`,
 * v1): metadata.name = `<plural>.<group>`, group, scope, names, versions (exactly one storage version), printer
 * columns and the schema (structural, defaults, CEL), on the object with its server defaults.
 * A schema shared by every version is reported under `spec.validation.openAPIV3Schema`, as the real server
 * does after converting to its internal version; otherwise under `spec.versions[i].schema.openAPIV3Schema`.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { Cause } from '#sim/types.ts';
import type { JsonSchema } from './schema.ts';
import { crdVersions, isPlainObject } from './schema.ts';
import { invalid, notSupported, required } from './messages.ts';
import { checkSchema } from './structural.ts';
import { parseJsonPath } from './jsonpath.ts';
import { crdDefaults } from './crd-defaults.ts';

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const COLUMN_TYPES = ['integer', 'number', 'string', 'boolean', 'date'];

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function dns1035(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!DNS1035.test(v)) errs.push(DNS1035_MSG);
  return errs;
}

function checkNames(names: Record<string, unknown>, causes: Cause[]): void {
  const [plural, singular, kind, listKind] = ['plural', 'singular', 'kind', 'listKind'].map((k) => str(names[k]));
  const p = 'spec.names';
  if (!plural) causes.push(required(`${p}.plural`));
  else if (dns1035(plural).length) causes.push(invalid(`${p}.plural`, plural, dns1035(plural).join(',')));
  if (!singular) causes.push(required(`${p}.singular`));
  else if (dns1035(singular).length) causes.push(invalid(`${p}.singular`, singular, dns1035(singular).join(',')));
  if (!kind) causes.push(required(`${p}.kind`));
  else if (dns1035(kind.toLowerCase()).length) {
    causes.push(invalid(`${p}.kind`, kind, `may have mixed case, but should otherwise match: ${dns1035(kind.toLowerCase()).join(',')}`));
  }
  if (!listKind) causes.push(required(`${p}.listKind`));
  else if (kind && kind === listKind) causes.push(invalid(`${p}.listKind`, listKind, 'kind and listKind may not be the same'));
  const shortNames = Array.isArray(names['shortNames']) ? (names['shortNames'] as unknown[]) : [];
  shortNames.forEach((s, i) => {
    const errs = dns1035(str(s));
    if (errs.length) causes.push(invalid(`${p}.shortNames[${i}]`, s, errs.join(',')));
  });
}

function checkColumns(cols: unknown, path: string, causes: Cause[]): void {
  if (!Array.isArray(cols)) return;
  cols.forEach((c: unknown, i) => {
    const cp = `${path}[${i}]`;
    if (!isPlainObject(c)) return;
    if (!str(c['name'])) causes.push(required(`${cp}.name`));
    if (!str(c['type'])) causes.push(required(`${cp}.type`));
    else if (!COLUMN_TYPES.includes(str(c['type']))) causes.push(notSupported(`${cp}.type`, c['type'], COLUMN_TYPES));
    const jp = str(c['jsonPath']);
    if (!jp) causes.push(required(`${cp}.jsonPath`));
    else {
      try {
        parseJsonPath(jp);
      } catch {
        causes.push(invalid(`${cp}.jsonPath`, jp, 'must be a simple json path'));
      }
    }
  });
}

function sameForAll(versions: Record<string, unknown>[], get: (v: Record<string, unknown>) => unknown): boolean {
  const first = JSON.stringify(get(versions[0] ?? {}) ?? null);
  return versions.length > 0 && versions.every((v) => JSON.stringify(get(v) ?? null) === first);
}

function schemaOf(v: Record<string, unknown>): JsonSchema | undefined {
  const s = isPlainObject(v['schema']) ? v['schema']['openAPIV3Schema'] : undefined;
  return isPlainObject(s) ? (s) : undefined;
}

function checkVersions(versions: Record<string, unknown>[], causes: Cause[]): void {
  const names = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    const name = str(v['name']);
    if (names.has(name)) unique = false;
    names.add(name);
    const errs = dns1035(name);
    if (errs.length) causes.push(invalid(`spec.versions[${i}].name`, name, errs.join(',')));
  });
  const rendered = `[]apiextensions.CustomResourceDefinitionVersion{${versions.map((v) => `apiextensions.CustomResourceDefinitionVersion{Name:"${str(v['name'])}", Served:${v['served'] === true}, Storage:${v['storage'] === true}}`).join(', ')}}`;
  const storageCount = versions.filter((v) => v['storage'] === true).length;
  if (storageCount !== 1) {
    causes.push({ field: 'spec.versions', reason: 'FieldValueInvalid', message: `Invalid value: ${rendered}: must have exactly one version marked as storage version` });
  }
  if (!unique) causes.push({ field: 'spec.versions', reason: 'FieldValueInvalid', message: `Invalid value: ${rendered}: must contain unique version names` });

  const sharedSchema = sameForAll(versions, schemaOf);
  versions.forEach((v, i) => {
    const schema = schemaOf(v);
    if (!schema) causes.push(required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
    else if (!sharedSchema) causes.push(...checkSchema(schema, `spec.versions[${i}].schema.openAPIV3Schema`));
  });
  const first = versions[0] ? schemaOf(versions[0]) : undefined;
  if (sharedSchema && first) causes.push(...checkSchema(first, 'spec.validation.openAPIV3Schema'));

  const colsOf = (v: Record<string, unknown>): unknown => v['additionalPrinterColumns'];
  if (sameForAll(versions, colsOf)) checkColumns(versions[0]?.['additionalPrinterColumns'], 'spec.additionalPrinterColumns', causes);
  else versions.forEach((v, i) => checkColumns(v['additionalPrinterColumns'], `spec.versions[${i}].additionalPrinterColumns`, causes));
}

function isEstablished(crd: KubeObject): boolean {
  const status = isPlainObject(crd['status']) ? crd['status'] : {};
  const conditions = Array.isArray(status['conditions']) ? (status['conditions'] as unknown[]) : [];
  return conditions.some((c) => isPlainObject(c) && c['type'] === 'Established' && c['status'] === 'True');
}

/** The update-only rules: group always immutable; scope and kind immutable once the CRD is established. */
function checkUpdate(crd: KubeObject, old: KubeObject, causes: Cause[]): void {
  const get = (o: KubeObject, ...path: string[]): string => {
    let cur: unknown = o['spec'];
    for (const k of path) cur = isPlainObject(cur) ? cur[k] : undefined;
    return str(cur);
  };
  const immutable = (field: string, path: string[]): void => {
    const now = get(crd, ...path);
    if (now !== get(old, ...path)) causes.push(invalid(field, now, 'field is immutable'));
  };
  immutable('spec.group', ['group']);
  if (isEstablished(old)) {
    immutable('spec.scope', ['scope']);
    immutable('spec.names.kind', ['names', 'kind']);
  }
}

/**
 * The causes of a 422 for this CRD create (or update, with `old`); [] when it is valid. Server defaults are
 * applied first.
 */
export function checkCrd(raw: KubeObject, old?: KubeObject): Cause[] {
  const crd = crdDefaults(raw);
  const causes: Cause[] = [];
  const spec = isPlainObject(crd['spec']) ? crd['spec'] : {};
  const names = isPlainObject(spec['names']) ? spec['names'] : {};
  const group = str(spec['group']);
  const name = str(crd.metadata.name);
  if (!name) causes.push(required('metadata.name', 'name or generateName is required'));
  else {
    const msgs: string[] = [];
    if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) msgs.push(DNS1123_MSG);
    if (name !== `${str(names['plural'])}.${group}`) msgs.push('must be spec.names.plural+"."+spec.group');
    for (const m of msgs) causes.push(invalid('metadata.name', name, m));
  }
  if (!group) causes.push(required('spec.group'));
  else if (!DNS1123_SUBDOMAIN.test(group)) causes.push(invalid('spec.group', group, DNS1123_MSG));
  else if (!group.includes('.')) causes.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  const scope = str(spec['scope']);
  if (!scope) causes.push(required('spec.scope'));
  else if (scope !== 'Cluster' && scope !== 'Namespaced') causes.push(notSupported('spec.scope', scope, ['Cluster', 'Namespaced']));
  checkVersions(crdVersions(crd), causes);
  checkNames(names, causes);
  if (old) checkUpdate(crd, old, causes);
  return causes;
}
