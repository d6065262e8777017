/** PATCH: routes by Content-Type to JSON patch / merge patch / strategic merge patch / server-side apply. */
import * as yaml from 'js-yaml';
import type { KubeObject } from '#shared/kube/types.ts';
import { StatusError } from '#sim/types.ts';
import type { Served } from '#sim/resources/registry.ts';
import type { ServerContext } from '#sim/server/context.ts';
import { badRequest, failure, notFound, unsupportedMediaType } from '#sim/server/status.ts';
import { dryRun } from '#sim/server/options.ts';

const PATCH_TYPES = new Set(['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']);
const APPLY = 'application/apply-patch+yaml';

/** The result of a PATCH: 201 when an apply created the object, else 200. */
export interface PatchResult { code: number; object: KubeObject }

function parseApplied(body: string): KubeObject {
  let v: unknown;
  try {
    v = yaml.load(body);
  } catch (err) {
    throw badRequest(`error decoding YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw badRequest('the body of the request was in an unknown format - accepted media types include: application/apply-patch+yaml');
  const obj = v as KubeObject;
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {};
  return obj;
}

/** Applies a PATCH request to the addressed object. */
export function patch(ctx: ServerContext, s: Served, ns: string | undefined, name: string, subresource: '' | 'status',
  contentType: string, body: string, params: URLSearchParams): PatchResult {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const api = ctx.api;
  if (type === APPLY) {
    const manager = params.get('fieldManager');
    if (!manager) {
      const message = 'Required value: is required for apply patch';
      throw new StatusError(failure(422, 'Invalid', `PatchOptions.meta.k8s.io "" is invalid: fieldManager: ${message}`, {
        group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueRequired', message, field: 'fieldManager' }],
      }));
    }
    const dry = dryRun(params, 'PatchOptions');
    const applied = parseApplied(body);
    if (applied.metadata.name !== undefined && applied.metadata.name !== name) {
      throw badRequest(`the name of the object (${String(applied.metadata.name)}) does not match the name on the URL (${name})`);
    }
    const live = api.objects.get(s.key, s.info.namespaced ? ns ?? '' : '', name);
    const force = params.get('force') === 'true';
    if (!live) {
      if (subresource === 'status') throw notFound(s.info, name);
      const created = ctx.patcher.serverSideApply({ live: undefined, applied, manager, force, subresource });
      created.metadata.name = name;
      return { code: 201, object: api.create(s, ns, created, { dryRun: dry }) };
    }
    const merged = ctx.patcher.serverSideApply({ live: structuredClone(live), applied, manager, force, subresource });
    merged.metadata.resourceVersion = applied.metadata.resourceVersion ?? live.metadata.resourceVersion ?? '';
    return { code: 200, object: api.update(s, ns, name, merged, { dryRun: dry }, subresource) };
  }
  if (!PATCH_TYPES.has(type)) throw unsupportedMediaType();
  if (s.crd && type === 'application/strategic-merge-patch+json') {
    throw unsupportedMediaType('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml', false);
  }
  const dry = dryRun(params, 'PatchOptions');
  const live = api.get(s, ns, name);
  const patched = ctx.patcher.applyPatch(structuredClone(live), body, type, s.info.kind);
  if (!patched.metadata || typeof patched.metadata !== 'object') patched.metadata = {};
  if (patched.metadata.resourceVersion === undefined) patched.metadata.resourceVersion = live.metadata.resourceVersion ?? '';
  return { code: 200, object: api.update(s, ns, name, patched, { dryRun: dry }, subresource) };
}
