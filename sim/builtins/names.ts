/**
 * Name, label and key validation with the real messages of k8s.io/apimachinery `validation` (DNS-1123 subdomain and
 * label, DNS-1035 label, qualified names, label values, config keys) and the generic ObjectMeta checks.
 */
import type { Cause } from '#sim/types.ts';
import type { ObjectMeta } from '#shared/kube/types.ts';
import { invalidValue, required } from './causes.ts';

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelValueFmt = `(${qualifiedNameFmt})?`;
const configKeyFmt = '[-._a-zA-Z0-9]+';

const whole = (fmt: string): RegExp => new RegExp(`^${fmt}$`);
const dns1123Label = whole(dns1123LabelFmt);
const dns1123Subdomain = whole(dns1123SubdomainFmt);
const dns1035Label = whole(dns1035LabelFmt);
const qualifiedName = whole(qualifiedNameFmt);
const labelValue = whole(labelValueFmt);
const configKey = whole(configKeyFmt);

/** How a kind's `metadata.name` is validated. */
export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path-segment';

/** Problems with a DNS-1123 subdomain (empty list when valid). */
export function subdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push('must be no more than 253 characters');
  if (!dns1123Subdomain.test(value)) {
    errs.push(`a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${dns1123SubdomainFmt}')`);
  }
  return errs;
}

/** Problems with a DNS-1123 label (namespaces, container names, port names). */
export function labelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!dns1123Label.test(value)) {
    errs.push(`a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${dns1123LabelFmt}')`);
  }
  return errs;
}

/** Problems with a DNS-1035 label (Service names: must start with a letter). */
export function dns1035Errors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!dns1035Label.test(value)) {
    errs.push(`a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${dns1035LabelFmt}')`);
  }
  return errs;
}

/** Problems with a path-segment name (RBAC objects: `system:controller:x` is fine). */
export function pathSegmentErrors(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  const bad = ['/', '%'].find((c) => value.includes(c));
  return bad ? [`may not contain '${bad}'`] : [];
}

/** Problems with a qualified name (`prefix/name`), as used for label and annotation keys. */
export function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  let name = value;
  const errs: string[] = [];
  if (parts.length > 2) {
    return [`a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${qualifiedNameFmt}') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...subdomainErrors(prefix).map((e) => `prefix part ${e}`));
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (name.length > 0 && !qualifiedName.test(name)) {
    errs.push(`name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${qualifiedNameFmt}')`);
  }
  return errs;
}

/** Problems with a label value. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!labelValue.test(value)) {
    errs.push(`a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '${labelValueFmt}')`);
  }
  return errs;
}

/** Problems with a ConfigMap/Secret data key. */
export function configKeyErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push('must be no more than 253 characters');
  if (!configKey.test(value)) {
    errs.push(`a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '${configKeyFmt}')`);
  }
  if (value === '.' || value === '..') errs.push(`must not be '${value}'`);
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

const nameCheckers: Record<NameRule, (v: string) => string[]> = {
  subdomain: subdomainErrors,
  label: labelErrors,
  dns1035: dns1035Errors,
  'path-segment': pathSegmentErrors,
};

/** Checks a name with `rule`, reporting one cause per problem at `field`. */
export function nameCauses(field: string, value: string, rule: NameRule): Cause[] {
  return nameCheckers[rule](value).map((e) => invalidValue(field, value, e));
}

const maxAnnotationsBytes = 256 * 1024;

/** Generic ObjectMeta validation: name (or generateName), labels, annotations. */
export function validateObjectMeta(meta: ObjectMeta, rule: NameRule): Cause[] {
  const causes: Cause[] = [];
  if (meta.name) causes.push(...nameCauses('metadata.name', meta.name, rule));
  else if (meta.generateName) {
    // The real server validates the prefix with a trailing character standing in for the random suffix.
    const masked = meta.generateName.replace(/-$/, '') + 'a';
    causes.push(...nameCheckers[rule](masked).map((e) => invalidValue('metadata.generateName', meta.generateName, e)));
  } else causes.push(required('metadata.name', 'name or generateName is required'));
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    causes.push(...qualifiedNameErrors(key).map((e) => invalidValue('metadata.labels', key, e)));
    if (typeof value !== 'string') continue;
    causes.push(...labelValueErrors(value).map((e) => invalidValue('metadata.labels', value, e)));
  }
  let annotationBytes = 0;
  for (const [key, value] of Object.entries(meta.annotations ?? {})) {
    causes.push(...qualifiedNameErrors(key.toLowerCase()).map((e) => invalidValue('metadata.annotations', key, e)));
    annotationBytes += key.length + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  }
  if (annotationBytes > maxAnnotationsBytes) {
    causes.push({ field: 'metadata.annotations', reason: 'FieldValueTooLong', message: `Too long: must have at most ${maxAnnotationsBytes} bytes` });
  }
  return causes;
}
