/**
 * Patch semantics of the embedded API server: JSON patch, merge patch, strategic merge patch and server-side apply,
 * with the exact errors of the real kube-apiserver. The server (sim/server) decodes the request, calls these, then
 * validates and stores the result.
 */
import { load } from 'js-yaml';
import type { KubeObject } from '#shared/kube/types.ts';
import { isObject } from './json-value.ts';
import { jsonPatch } from './json-patch.ts';
import { mergePatch } from './merge-patch.ts';
import { strategicMerge } from './strategic-merge.ts';
import { badRequest, missingFieldManager, strategicOnCustomResource, unsupportedMediaType } from './status.ts';

export { serverSideApply } from './ssa.ts';
export type { ServerSideApplyArgs } from './ssa.ts';
export { recordUpdate, managerFromUserAgent } from './managed-fields.ts';
export type { ManagedFieldsEntry } from './managed-fields.ts';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

/** The media type of a Content-Type header: lower-case, parameters dropped. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * True for the kinds of custom resources. Decided on the API group, the way Kubernetes reserves them: built-in
 * groups are the core group, single-word groups (`apps`, `batch`) and `*.k8s.io` / `*.kubernetes.io`.
 */
export function isCustomApiVersion(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return false;
  const group = apiVersion.slice(0, slash);
  return group.includes('.') && !group.endsWith('.k8s.io') && !group.endsWith('.kubernetes.io');
}

export interface ApplyPatchOptions {
  /** Override the group-based guess of `isCustomApiVersion` (the router knows the truth from its CRD registry). */
  custom?: boolean;
}

/**
 * The object after a PATCH with a JSON, merge or strategic merge patch `body` of type `contentType`.
 * `kind` is the object's kind (only used in messages). Throws StatusError: 415 for a content type that is no patch
 * type (and strategic merge on a custom resource), 422 for a failing JSON patch, 400 for an undecodable body.
 * `application/apply-patch+yaml` is not handled here: call `serverSideApply` (it needs the field manager).
 * The result may carry a `metadata.resourceVersion` the patch set: a precondition for the caller to check.
 */
export function applyPatch(
  live: KubeObject, body: string, contentType: string, kind: string, options: ApplyPatchOptions = {},
): KubeObject {
  const type = mediaType(contentType);
  const custom = options.custom ?? isCustomApiVersion(live.apiVersion);
  if (type === STRATEGIC_MERGE_PATCH && custom) throw strategicOnCustomResource();
  if (type !== JSON_PATCH && type !== MERGE_PATCH && type !== STRATEGIC_MERGE_PATCH) {
    throw custom && type !== APPLY_PATCH ? strategicOnCustomResource() : unsupportedMediaType();
  }
  const patch = decodeJson(body);
  let result: unknown;
  if (type === JSON_PATCH) result = jsonPatch(live, patch);
  else if (!isObject(patch)) throw badRequest(`json: cannot unmarshal ${typeName(patch)} into Go value of type map[string]interface {}`);
  else result = type === MERGE_PATCH ? mergePatch(live, patch) : strategicMerge(live, patch);
  if (!isObject(result) || !isObject(result.metadata)) {
    throw badRequest(`the patched ${kind} is not an object with metadata`);
  }
  return result as KubeObject;
}

/** Decode an apply body (YAML, or JSON which is YAML). 400 when it is not one object. */
export function parseApplyBody(body: string): KubeObject {
  let value: unknown;
  try {
    // Clients (client-node, our adapter) send JSON, which is YAML too: JSON.parse is many times cheaper than
    // js-yaml; only a body that is not JSON goes to the YAML parser.
    value = parseJsonOrUndefined(body) ?? load(body);
  } catch (error) {
    throw Object.assign(badRequest(`error decoding YAML: ${(error as Error).message}`), { cause: error });
  }
  if (!isObject(value) || !isObject(value.metadata ?? {})) {
    throw badRequest('Object \'Kind\' is missing in the apply body');
  }
  if (value.metadata === undefined) value.metadata = {};
  return value as KubeObject;
}

/** An apply patch needs `?fieldManager=`: the real 422 on PatchOptions otherwise. */
export function requireFieldManager(fieldManager: string | null | undefined): string {
  if (fieldManager === null || fieldManager === undefined || fieldManager === '') throw missingFieldManager();
  return fieldManager;
}

/** The JSON value of `body` when it looks like and is JSON, else undefined (then it is YAML, or an error). */
function parseJsonOrUndefined(body: string): unknown {
  const first = body.trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function decodeJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw Object.assign(badRequest(`error decoding patch: ${(error as Error).message}`), { cause: error });
  }
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'bool';
}
