/**
 * The seam to `sim/patch/` (JSON patch, merge patch, strategic merge patch, server-side apply). Loaded at start
 * when present; until then a small stand-in does JSON patch and merge patch (strategic = merge, apply = merge
 * without field ownership).
 */
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import type { KubeObject } from '#shared/kube/types.ts';
import { StatusError } from '#sim/types.ts';
import { failure, unsupportedMediaType } from '#sim/server/status.ts';

export interface ApplyArgs {
  live: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  force: boolean;
  subresource: '' | 'status';
}

export interface Patcher {
  applyPatch(live: KubeObject, body: string, contentType: string, kind: string): KubeObject;
  serverSideApply(args: ApplyArgs): KubeObject;
}

/** RFC 7386 merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target)
    ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function rejected(): StatusError {
  return new StatusError(failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {}));
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    throw new StatusError(failure(400, 'BadRequest', `error decoding patch: ${err instanceof Error ? err.message : String(err)}`));
  }
}

const STAND_IN: Patcher = {
  applyPatch(live, body, contentType) {
    const type = contentType.split(';')[0]!.trim().toLowerCase();
    if (type === 'application/json-patch+json') {
      const ops = parseJson(body);
      if (!Array.isArray(ops)) throw rejected();
      try {
        return jsonpatch.applyPatch(structuredClone(live), ops as Operation[], true, false).newDocument;
      } catch {
        throw rejected();
      }
    }
    if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') {
      return mergePatch(live, parseJson(body)) as KubeObject;
    }
    throw unsupportedMediaType();
  },
  serverSideApply({ live, applied }) {
    return (live ? mergePatch(live, applied) : applied) as KubeObject;
  },
};

/** Loads `sim/patch/index.ts` when it exists, else the stand-in. */
export async function loadPatcher(warn: (msg: string) => void): Promise<Patcher> {
  const spec = '#sim/patch/index.ts';
  try {
    const mod = (await import(spec)) as Record<string, unknown>;
    if (typeof mod.applyPatch === 'function' && typeof mod.serverSideApply === 'function') {
      return { applyPatch: mod.applyPatch as Patcher['applyPatch'], serverSideApply: mod.serverSideApply as Patcher['serverSideApply'] };
    }
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_PACKAGE_IMPORT_NOT_DEFINED') {
      warn(`patch: cannot load ${spec}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return STAND_IN;
}
