/**
 * PersistentVolumeClaim (core/v1): defaults, the `kubernetes.io/pvc-protection` finalizer added on create, the
 * create-time status, validation and the update rule (only a larger storage request may change).
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { Cause } from '#sim/types.ts';
import { forbidden, notSupported, required } from './causes.ts';
import { child, isObject, jsonEqual, peek, setDefault } from './json.ts';
import type { JsonObject } from './json.ts';

/** The finalizer the pvc-protection admission adds. */
export const pvcProtectionFinalizer = 'kubernetes.io/pvc-protection';

const accessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'] as const;

/** PVC defaults (in place); on create also the protection finalizer. */
export function defaultPvc(obj: KubeObject, creating: boolean): void {
  setDefault(child(obj, 'spec'), 'volumeMode', 'Filesystem');
  if (!creating) return;
  const finalizers = obj.metadata.finalizers ?? [];
  if (!finalizers.includes(pvcProtectionFinalizer)) obj.metadata.finalizers = [...finalizers, pvcProtectionFinalizer];
}

/** Parses a quantity like `1Gi`, `500M`, `10` into bytes (enough to compare sizes). */
export function quantityBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/.exec(value.trim());
  if (!m) return undefined;
  const scale: Record<string, number> = {
    '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  };
  return Number(m[1]) * (scale[m[2] ?? ''] ?? 1);
}

function storageOf(spec: JsonObject | undefined): unknown {
  return peek(peek(spec, 'resources'), 'requests')?.storage;
}

/** PVC validation; `old` is the stored object on update. */
export function validatePvc(obj: KubeObject, old: KubeObject | undefined): Cause[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const causes: Cause[] = [];
  const modes = Array.isArray(spec.accessModes) ? spec.accessModes : [];
  if (modes.length === 0) causes.push(required('spec.accessModes', 'at least 1 access mode is required'));
  for (const m of modes) {
    if (typeof m !== 'string' || !(accessModes as readonly string[]).includes(m)) causes.push(notSupported('spec.accessModes', m, accessModes));
  }
  const storage = storageOf(spec);
  if (storage === undefined) causes.push(required('spec.resources[storage]'));
  else if (quantityBytes(storage) === undefined) {
    causes.push({ field: 'spec.resources.requests[storage]', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(storage)}: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'` });
  }
  if (spec.volumeMode !== 'Filesystem' && spec.volumeMode !== 'Block') {
    causes.push(notSupported('spec.volumeMode', spec.volumeMode ?? '', ['Block', 'Filesystem']));
  }
  if (old && isObject(old.spec)) {
    const oldSpec = old.spec;
    const strip = (s: JsonObject): JsonObject => ({ ...s, resources: undefined, volumeName: undefined });
    if (!jsonEqual(strip(oldSpec), strip(spec))) {
      causes.push(forbidden('spec', 'spec is immutable after creation except resources.requests for bound claims'));
    }
    const before = quantityBytes(storageOf(oldSpec));
    const after = quantityBytes(storage);
    if (before !== undefined && after !== undefined && after < before) {
      causes.push(forbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
    }
  }
  return causes;
}

/** The status a new PVC starts with. */
export function initialPvcStatus(): JsonObject {
  return { phase: 'Pending' };
}
