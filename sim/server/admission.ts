/**
 * The admission the core calls: built-in defaults/validation/allocation (`sim/builtins/`), CRD checks and custom
 * resource schema handling and printing (`sim/crd/`). Imported statically: a dynamic import() here once gave the
 * sim a second copy of sim/types.ts when the caller was loaded through require() (mocha), breaking `instanceof`.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { AdmissionContext, Cause } from '#sim/types.ts';
import { createBuiltinAdmission } from '#sim/builtins/index.ts';
import { admitCustomResource, checkCrd, toTable } from '#sim/crd/index.ts';
import type { TableOptions } from '#sim/crd/index.ts';

export interface AdmissionResult { object: KubeObject; causes: Cause[] }

/** The admission functions the core calls. */
export interface Admission {
  admitBuiltin(obj: KubeObject, ctx: AdmissionContext): AdmissionResult;
  /** Frees what a deleted (or never stored) built-in object held (a Service's ClusterIP and NodePorts). */
  release(obj: KubeObject): void;
  admitCustomResource(crd: KubeObject, version: string, obj: KubeObject, ctx: AdmissionContext): AdmissionResult;
  checkCrd(crd: KubeObject): Cause[];
  /** meta.k8s.io/v1 Table of custom resources (printer columns of the CRD). */
  toTable(crd: KubeObject, version: string, objects: KubeObject[], options: TableOptions): unknown;
}

/** Options of `createAdmission`. */
export interface AdmissionOptions {
  /** ClusterIP range of Services (default that of sim/builtins, 10.0.0.0/16). */
  serviceCidr?: string | undefined;
}

/** The admission of one sim instance (its own ClusterIP/NodePort allocators). */
export function createAdmission(options: AdmissionOptions = {}): Admission {
  const builtin = createBuiltinAdmission(options.serviceCidr !== undefined ? { serviceCidr: options.serviceCidr } : {});
  return {
    admitBuiltin: (obj, ctx) => builtin.admitBuiltin(obj, ctx),
    release: (obj) => builtin.release(obj),
    admitCustomResource: (crd, version, obj, ctx) => admitCustomResource(crd, version, obj, ctx),
    checkCrd: (crd) => checkCrd(crd),
    toTable: (crd, version, objects, options) => toTable(crd, version, objects, options),
  };
}
