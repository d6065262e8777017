/**
 * Decoding of the Kubernetes protobuf envelope (`application/vnd.kubernetes.protobuf`) for the kinds `kubectl create
 * <kind>` sends that way (typed clientsets default to protobuf, and kubectl does not fall back to JSON on 415):
 * Namespace, ServiceAccount, ConfigMap, Secret, Role, ClusterRole, RoleBinding, ClusterRoleBinding, TokenRequest.
 * Field numbers are those of k8s.io/api's generated.proto. Anything else is undefined (the caller answers 415).
 */
import type { KubeObject } from '#shared/kube/types.ts';

type Json = Record<string, unknown>;
/** How to decode one field: a scalar kind, a nested message schema, or a map. */
type FieldType = 'string' | 'bytes' | 'int' | 'bool' | 'time' | Schema | { map: 'string' | 'bytes' };
/** field number → [json name, type, repeated?] */
type Schema = Record<number, [string, FieldType, boolean?]>;

const time: Schema = { 1: ['seconds', 'int'], 2: ['nanos', 'int'] };
const ownerRef: Schema = { 1: ['kind', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'], 5: ['apiVersion', 'string'], 6: ['controller', 'bool'], 7: ['blockOwnerDeletion', 'bool'] };
const objectMeta: Schema = {
  1: ['name', 'string'], 2: ['generateName', 'string'], 3: ['namespace', 'string'], 5: ['uid', 'string'],
  6: ['resourceVersion', 'string'], 7: ['generation', 'int'], 11: ['labels', { map: 'string' }], 12: ['annotations', { map: 'string' }],
  13: ['ownerReferences', ownerRef, true], 14: ['finalizers', 'string', true],
};
const localRef: Schema = { 1: ['name', 'string'] };
const policyRule: Schema = { 1: ['verbs', 'string', true], 2: ['apiGroups', 'string', true], 3: ['resources', 'string', true], 4: ['resourceNames', 'string', true], 5: ['nonResourceURLs', 'string', true] };
const subject: Schema = { 1: ['kind', 'string'], 2: ['apiGroup', 'string'], 3: ['name', 'string'], 4: ['namespace', 'string'] };
const roleRef: Schema = { 1: ['apiGroup', 'string'], 2: ['kind', 'string'], 3: ['name', 'string'] };
const labelSelector: Schema = { 1: ['matchLabels', { map: 'string' }] };
const boundRef: Schema = { 1: ['kind', 'string'], 2: ['apiVersion', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'] };

const kinds: Record<string, Schema> = {
  Namespace: { 1: ['metadata', objectMeta], 2: ['spec', { 1: ['finalizers', 'string', true] }] },
  ServiceAccount: { 1: ['metadata', objectMeta], 2: ['secrets', { 4: ['name', 'string'], 1: ['kind', 'string'], 2: ['namespace', 'string'] }, true], 3: ['imagePullSecrets', localRef, true], 4: ['automountServiceAccountToken', 'bool'] },
  ConfigMap: { 1: ['metadata', objectMeta], 2: ['data', { map: 'string' }], 3: ['binaryData', { map: 'bytes' }], 4: ['immutable', 'bool'] },
  Secret: { 1: ['metadata', objectMeta], 2: ['data', { map: 'bytes' }], 3: ['type', 'string'], 4: ['stringData', { map: 'string' }], 5: ['immutable', 'bool'] },
  Role: { 1: ['metadata', objectMeta], 2: ['rules', policyRule, true] },
  ClusterRole: { 1: ['metadata', objectMeta], 2: ['rules', policyRule, true], 3: ['aggregationRule', { 1: ['clusterRoleSelectors', labelSelector, true] }] },
  RoleBinding: { 1: ['metadata', objectMeta], 2: ['subjects', subject, true], 3: ['roleRef', roleRef] },
  ClusterRoleBinding: { 1: ['metadata', objectMeta], 2: ['subjects', subject, true], 3: ['roleRef', roleRef] },
  TokenRequest: { 1: ['metadata', objectMeta], 2: ['spec', { 1: ['audiences', 'string', true], 3: ['boundObjectRef', boundRef], 4: ['expirationSeconds', 'int'] }] },
};

/** Raw protobuf fields: number → list of values (varint numbers or length-delimited buffers). */
function readFields(buf: Buffer): Map<number, Array<bigint | Buffer>> {
  const out = new Map<number, Array<bigint | Buffer>>();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const byte = buf[pos++] ?? 0;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const tag = varint();
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    let value: bigint | Buffer;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const len = Number(varint());
      value = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 1) { value = buf.readBigUInt64LE(pos); pos += 8; } else if (wire === 5) { value = BigInt(buf.readUInt32LE(pos)); pos += 4; } else throw new Error(`unsupported wire type ${wire}`);
    const list = out.get(field) ?? [];
    list.push(value);
    out.set(field, list);
  }
  return out;
}

function decodeValue(type: FieldType, raw: bigint | Buffer): unknown {
  if (type === 'string') return Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
  if (type === 'bytes') return Buffer.isBuffer(raw) ? raw.toString('base64') : '';
  if (type === 'int') return typeof raw === 'bigint' ? Number(BigInt.asIntN(64, raw)) : 0;
  if (type === 'bool') return raw === 1n;
  if (type === 'time') {
    const t = decodeMessage(time, Buffer.isBuffer(raw) ? raw : Buffer.alloc(0));
    return new Date(Number(t.seconds ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  if ('map' in type) throw new Error('maps are decoded by decodeMessage');
  return decodeMessage(type, Buffer.isBuffer(raw) ? raw : Buffer.alloc(0));
}

function decodeMessage(schema: Schema, buf: Buffer): Json {
  const out: Json = {};
  for (const [num, values] of readFields(buf)) {
    const def = schema[num];
    if (!def) continue;
    const [name, type, repeated] = def;
    if (typeof type === 'object' && 'map' in type) {
      const map: Record<string, unknown> = {};
      for (const entry of values) {
        if (!Buffer.isBuffer(entry)) continue;
        const kv = readFields(entry);
        const k = kv.get(1)?.[0];
        const v = kv.get(2)?.[0];
        map[Buffer.isBuffer(k) ? k.toString('utf8') : ''] = v === undefined ? '' : decodeValue(type.map, v);
      }
      out[name] = map;
    } else if (repeated) out[name] = values.map((v) => decodeValue(type, v));
    else {
      const last = values[values.length - 1];
      const value = last === undefined ? undefined : decodeValue(type, last);
      // Go's JSON omits empty scalars (omitempty); protobuf writes them: drop them to get the JSON shape.
      if (value !== undefined && value !== '' && value !== 0 && value !== false) out[name] = value;
    }
  }
  return out;
}

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** True when a body is a Kubernetes protobuf envelope (`k8s\0` magic). */
export function isProtobufEnvelope(body: Buffer): boolean {
  return body.length >= 4 && body.subarray(0, 4).equals(magic);
}

/**
 * The JSON object of a protobuf request body, or undefined when the envelope is not protobuf or the kind is not one
 * this decoder knows (answer 415 then). Throws on a malformed body (answer 400).
 */
export function decodeProtobufObject(body: Buffer): KubeObject | undefined {
  if (!isProtobufEnvelope(body)) return undefined;
  const unknown = readFields(body.subarray(4));
  const typeMetaRaw = unknown.get(1)?.[0];
  const raw = unknown.get(2)?.[0];
  if (!Buffer.isBuffer(typeMetaRaw) || !Buffer.isBuffer(raw)) return undefined;
  const typeMeta = decodeMessage({ 1: ['apiVersion', 'string'], 2: ['kind', 'string'] }, typeMetaRaw);
  const kind = typeof typeMeta.kind === 'string' ? typeMeta.kind : '';
  const schema = kinds[kind];
  if (!schema) return undefined;
  const obj = decodeMessage(schema, raw);
  return { apiVersion: typeof typeMeta.apiVersion === 'string' ? typeMeta.apiVersion : '', kind, ...obj, metadata: (obj.metadata ?? {}) as KubeObject['metadata'] };
}
