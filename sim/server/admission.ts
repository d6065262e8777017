/**
 * The seam to the admission code other parts of the sim own: built-in defaults/validation (`sim/builtins/`),
 * CRD checks and custom resource schema handling (`sim/crd/`). They are loaded at start when present; until they
 * exist (or when they fail to load) a trivial pass-through stands in, so the core server works on its own.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { AdmissionContext, Cause } from '#sim/types.ts';

export interface AdmissionResult { object: KubeObject; causes: Cause[] }

/** The admission functions the core calls. */
export interface Admission {
  admitBuiltin(obj: KubeObject, ctx: AdmissionContext): AdmissionResult;
  admitCustomResource(crd: KubeObject, version: string, obj: KubeObject, ctx: AdmissionContext): AdmissionResult;
  checkCrd(crd: KubeObject): Cause[];
  /** meta.k8s.io/v1 Table of custom resources; undefined when `sim/crd` is not there. */
  toTable: ((crd: KubeObject, version: string, objects: KubeObject[], listMeta: Record<string, unknown>) => unknown) | undefined;
}

const PASS_THROUGH: Admission = {
  admitBuiltin: (obj) => ({ object: obj, causes: [] }),
  admitCustomResource: (_crd, _v, obj) => ({ object: obj, causes: [] }),
  checkCrd: () => [],
  toTable: undefined,
};

function isFn(v: unknown): v is (...args: never[]) => unknown {
  return typeof v === 'function';
}

/** Imports a module by a computed specifier, so that a missing module is a runtime condition, not a type error. */
async function tryImport(spec: string, warn: (msg: string) => void): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(spec)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_PACKAGE_IMPORT_NOT_DEFINED') {
      warn(`admission: cannot load ${spec}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return undefined;
  }
}

/** Loads whatever admission modules exist. */
export async function loadAdmission(warn: (msg: string) => void): Promise<Admission> {
  const out: Admission = { ...PASS_THROUGH };
  const builtins = await tryImport('#sim/builtins/index.ts', warn);
  if (builtins && isFn(builtins.admitBuiltin)) out.admitBuiltin = builtins.admitBuiltin as Admission['admitBuiltin'];
  const crd = await tryImport('#sim/crd/index.ts', warn);
  if (crd) {
    if (isFn(crd.admitCustomResource)) out.admitCustomResource = crd.admitCustomResource as Admission['admitCustomResource'];
    if (isFn(crd.checkCrd)) out.checkCrd = crd.checkCrd as Admission['checkCrd'];
    if (isFn(crd.toTable)) out.toTable = crd.toTable as NonNullable<Admission['toTable']>;
  }
  return out;
}

/** The pass-through admission (tests of the core alone). */
export function passThroughAdmission(): Admission {
  return { ...PASS_THROUGH };
}
