/**
 * ConfigMap (core/v1): data/binaryData key validation, total size, and `immutable`.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { Cause } from '#sim/types.ts';
import { forbidden, invalidValue, tooLong } from './causes.ts';
import { isObject, jsonEqual } from './json.ts';
import { configKeyErrors } from './names.ts';

/** The most a ConfigMap or Secret may hold, in bytes. */
export const maxDataBytes = 1024 * 1024;

/** Key problems of one data map (`data`, `binaryData`, `stringData`), as `field[key]` causes. */
export function dataKeyCauses(field: string, data: unknown): Cause[] {
  if (!isObject(data)) return [];
  return Object.keys(data).flatMap((key) => configKeyErrors(key).map((e) => invalidValue(`${field}[${key}]`, key, e)));
}

function bytes(data: unknown): number {
  if (!isObject(data)) return 0;
  return Object.entries(data).reduce((n, [k, v]) => n + k.length + (typeof v === 'string' ? Buffer.byteLength(v) : 0), 0);
}

/** `immutable: true` freezes the payload (and the flag itself). */
export function immutableCauses(obj: KubeObject, old: KubeObject | undefined, fields: readonly string[]): Cause[] {
  if (old?.immutable !== true) return [];
  const causes: Cause[] = [];
  if (obj.immutable !== true) causes.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (!jsonEqual(old[f] ?? {}, obj[f] ?? {})) causes.push(forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return causes;
}

/** ConfigMap validation. */
export function validateConfigMap(obj: KubeObject, old: KubeObject | undefined): Cause[] {
  const causes = [...dataKeyCauses('data', obj.data), ...dataKeyCauses('binaryData', obj.binaryData)];
  if (isObject(obj.data) && isObject(obj.binaryData)) {
    for (const key of Object.keys(obj.binaryData)) {
      if (key in obj.data) causes.push(invalidValue(`binaryData[${key}]`, key, 'duplicate of key present in data'));
    }
  }
  if (bytes(obj.data) + bytes(obj.binaryData) > maxDataBytes) causes.push(tooLong('[]', maxDataBytes));
  causes.push(...immutableCauses(obj, old, ['data', 'binaryData']));
  return causes;
}
