/**
 * Built-in kind semantics of the embedded API server: server defaults, validation with the real causes, create-time
 * status, generation, and Service address allocation. One instance per sim (`createBuiltinAdmission`), because the
 * ClusterIP/NodePort allocators hold state.
 *
 * Contract with the store: call `admitBuiltin` on every create and update of a built-in kind (main endpoint and
 * /status) with the object after patching; store `object` when `causes` is empty, else answer 422 with them. Call
 * `release` when a Service is really deleted, and when a create that admission accepted is not stored after all
 * (dry-run, AlreadyExists, ...), so its ClusterIP is not leaked.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { AdmissionContext, Cause } from '#sim/types.ts';
import { adoptSharingManagedFields, clone, cloneSharingManagedFields } from '#sim/patch/json-value.ts';
import { ClusterIPAllocator, NodePortAllocator } from './allocator.ts';
import { isObject, jsonEqual } from './json.ts';
import { kindRules } from './kinds.ts';
import { validateObjectMeta } from './names.ts';
import { allocateService, releaseService } from './service.ts';
import type { ServiceAllocators } from './service.ts';

export { issueToken, parseTokenRequest } from './token.ts';
export { tokenSubresourceHandler } from './token-handler.ts';
export type { IssueTokenOptions } from './token.ts';
export { kindRules, builtinKinds } from './kinds.ts';
export type { KindRules } from './kinds.ts';
export { validateObjectMeta, nameCauses } from './names.ts';
export type { NameRule } from './names.ts';
export { selectorMatches } from './selector.ts';
export { builtinPrinterColumns } from './printers.ts';
export { decodeProtobufObject, isProtobufEnvelope } from './protobuf.ts';
export type { PrinterColumn, PrinterColumns } from './printers.ts';
export { pvcProtectionFinalizer } from './pvc.ts';
export { namespaceNameLabel } from './namespace.ts';

/** What admission answers: the object to store, and the causes of a 422 when it is invalid. */
export interface AdmissionResult {
  object: KubeObject;
  causes: Cause[];
}

/** The admission of one sim instance. */
export interface BuiltinAdmission {
  /** Defaults, validates and (Services) allocates; never mutates `obj`. Custom kinds pass through unchanged. */
  admitBuiltin(obj: KubeObject, ctx: AdmissionContext): AdmissionResult;
  /** Frees what a deleted (or never stored) object held: a Service's ClusterIP and NodePorts. */
  release(obj: KubeObject): void;
  /** True when `group`/`kind` is a built-in kind this admission knows. */
  handles(group: string, kind: string): boolean;
}

/** Options of `createBuiltinAdmission`. */
export interface BuiltinAdmissionOptions {
  /**
   * ClusterIP range. Default `10.0.0.0/16`: the recorded cluster used 10.0.0.0/24, whose 253 addresses benchmarks
   * and long test runs would exhaust; every recorded answer also holds for the larger range.
   */
  serviceCidr?: string;
}

function statusUpdate(obj: KubeObject, old: KubeObject): KubeObject {
  // The /status endpoint changes status only: everything else is the stored object's. A shallow copy of `old`
  // is enough: stored objects are never mutated, and only metadata (copied) and status (replaced) differ.
  const next: KubeObject = { ...old };
  next.metadata = cloneSharingManagedFields({ metadata: obj.metadata }).metadata;
  if (obj.status === undefined) delete next.status;
  else next.status = clone(obj.status);
  return next;
}

/** Creates the admission of one sim instance (fresh allocators). */
export function createBuiltinAdmission(options: BuiltinAdmissionOptions = {}): BuiltinAdmission {
  const alloc: ServiceAllocators = {
    clusterIPs: new ClusterIPAllocator(options.serviceCidr ?? '10.0.0.0/16'),
    nodePorts: new NodePortAllocator(),
  };

  function admitBuiltin(input: KubeObject, ctx: AdmissionContext): AdmissionResult {
    const rules = kindRules(ctx.resource.group, input.kind);
    if (!rules) return { object: input, causes: [] };
    const old = ctx.operation === 'update' ? ctx.old : undefined;
    if (ctx.subresource === 'status' && old) return { object: statusUpdate(input, old), causes: [] };
    const obj: KubeObject = ctx.owned === true ? adoptSharingManagedFields(input, old) : cloneSharingManagedFields(input);
    const causes: Cause[] = [...validateObjectMeta(obj.metadata, rules.nameRule), ...(rules.preValidate?.(obj) ?? [])];
    rules.default?.(obj, !old);
    if (rules.initialStatus) {
      if (!old) obj.status = rules.initialStatus();
      else if (old.status === undefined) delete obj.status;
      else obj.status = clone(old.status);
    }
    if (old && rules.keepSpecOnUpdate && old.spec !== undefined) obj.spec = clone(old.spec);
    causes.push(...(rules.validate?.(obj, old) ?? []));
    if (rules.generation) {
      const oldGeneration = typeof old?.metadata.generation === 'number' ? old.metadata.generation : 0;
      obj.metadata.generation = !old ? 1 : oldGeneration + (jsonEqual(old.spec, obj.spec) ? 0 : 1);
    }
    if (causes.length === 0 && input.kind === 'Service' && ctx.resource.group === '') {
      causes.push(...allocateService(obj, old, alloc));
    }
    return { object: obj, causes };
  }

  return {
    admitBuiltin,
    release(obj: KubeObject): void {
      if (obj.kind === 'Service' && isObject(obj.spec)) releaseService(obj, alloc);
    },
    handles: (group, kind) => kindRules(group, kind) !== undefined,
  };
}

/** Admission with process-wide allocators, for callers that hold no instance (tests, tools). */
const shared = createBuiltinAdmission();

/** `createBuiltinAdmission().admitBuiltin` of a process-wide instance. Prefer one instance per sim. */
export function admitBuiltin(obj: KubeObject, ctx: AdmissionContext): AdmissionResult {
  return shared.admitBuiltin(obj, ctx);
}
