/**
 * Secret (core/v1): `stringData` merged into `data` as base64 and dropped, `type` defaulted to Opaque, key and
 * size validation, `type` and `immutable` rules, and the required keys of the well-known types.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { Cause } from '#sim/types.ts';
import { immutable, required, tooLong } from './causes.ts';
import { isObject, setDefault } from './json.ts';
import { dataKeyCauses, immutableCauses, maxDataBytes } from './configmap.ts';

/**
 * Secret defaults (in place). Key problems in `stringData` are reported by `validateSecret` before the merge loses
 * them, so the caller validates `stringData` first: `secretStringDataCauses`.
 */
export function defaultSecret(obj: KubeObject): void {
  setDefault(obj, 'type', 'Opaque');
  if (isObject(obj.stringData)) {
    const data: Record<string, unknown> = isObject(obj.data) ? { ...obj.data } : {};
    for (const [k, v] of Object.entries(obj.stringData)) {
      if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
    }
    obj.data = data;
  }
  delete obj.stringData;
}

/** Key problems of `stringData`, to be checked before `defaultSecret` merges it. */
export function secretStringDataCauses(obj: KubeObject): Cause[] {
  return dataKeyCauses('stringData', obj.stringData);
}

const requiredKeys: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

/** Secret validation (after defaulting). */
export function validateSecret(obj: KubeObject, old: KubeObject | undefined): Cause[] {
  const causes = dataKeyCauses('data', obj.data);
  const data = isObject(obj.data) ? obj.data : {};
  const size = Object.entries(data).reduce((n, [k, v]) => n + k.length + (typeof v === 'string' ? Math.floor(v.length * 3 / 4) : 0), 0);
  if (size > maxDataBytes) causes.push(tooLong('data', maxDataBytes));
  const type = typeof obj.type === 'string' ? obj.type : 'Opaque';
  for (const key of requiredKeys[type] ?? []) if (!(key in data)) causes.push(required(`data[${key}]`));
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    causes.push(required('data[username]'));
  }
  if (old && old.type !== obj.type) causes.push(immutable('type', obj.type));
  causes.push(...immutableCauses(obj, old, ['data']));
  return causes;
}
