/** PATCH: routes by Content-Type to JSON patch / merge patch / strategic merge patch (sim/patch) or server-side apply. */
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '#shared/kube/types.ts';
import { APPLY_PATCH, applyPatch, managerFromUserAgent, mediaType, parseApplyBody, requireFieldManager, serverSideApply } from '#sim/patch/index.ts';
import type { Served } from '#sim/resources/registry.ts';
import type { WriteOptions } from '#sim/store/api.ts';
import type { ServerContext } from '#sim/server/context.ts';
import { badRequest, notFound } from '#sim/server/status.ts';
import { dryRun } from '#sim/server/options.ts';

/** The result of a PATCH: 201 when an apply created the object, else 200. */
export interface PatchResult { code: number; object: KubeObject }

/**
 * The field manager of a plain write: `?fieldManager=`, else the User-Agent's product (`kubectl`), as the real server
 * derives it; `unknown` when the client sent neither.
 */
export function fieldManagerOf(req: IncomingMessage, params: URLSearchParams): string {
  return params.get('fieldManager') || managerFromUserAgent(req.headers['user-agent']) || 'unknown';
}

/** A PATCH request, decoded. */
export interface PatchRequest {
  served: Served;
  namespace: string | undefined;
  name: string;
  subresource: '' | 'status';
  contentType: string;
  body: string;
  params: URLSearchParams;
  /** Write options the handler adds (request-scoped checks such as RBAC escalation). */
  write: WriteOptions;
}

/** Applies a PATCH request to the addressed object. */
export function patch(ctx: ServerContext, req: IncomingMessage, p: PatchRequest): PatchResult {
  const { served: s, namespace: ns, name, subresource, params } = p;
  const type = mediaType(p.contentType);
  const api = ctx.api;
  if (type === APPLY_PATCH) {
    const manager = requireFieldManager(params.get('fieldManager'));
    const dry = dryRun(params, 'PatchOptions');
    const applied = parseApplyBody(p.body);
    if (applied.metadata.name !== undefined && applied.metadata.name !== name) {
      throw badRequest(`the name of the object (${String(applied.metadata.name)}) does not match the name on the URL (${name})`);
    }
    const live = api.objects.get(s.key, s.info.namespaced ? ns ?? '' : '', name);
    const force = params.get('force') === 'true';
    // serverSideApply records the Apply entry itself: no fieldManager in the write options (no Update entry).
    // The merged object is serverSideApply's own (or the decoded body's): admission may adopt it.
    const opts: WriteOptions = { ...p.write, dryRun: dry, owned: true };
    if (!live) {
      if (subresource === 'status') throw notFound(s.info, name);
      const created = serverSideApply({ live: undefined, applied, manager, force, subresource, owned: true });
      created.metadata.name = name;
      return { code: 201, object: api.create(s, ns, created, opts) };
    }
    // serverSideApply never mutates `live` (it merges into its own copy): the stored object can go in as it is.
    const merged = serverSideApply({ live, applied, manager, force, subresource, owned: true });
    merged.metadata.resourceVersion = applied.metadata.resourceVersion ?? live.metadata.resourceVersion ?? '';
    return { code: 200, object: api.update(s, ns, name, merged, opts, subresource) };
  }
  const dry = dryRun(params, 'PatchOptions');
  const live = api.get(s, ns, name);
  // applyPatch never modifies `live` (each patch type builds its own copy): the stored object goes in as it is.
  const patched = applyPatch(live, p.body, p.contentType, s.info.kind, { custom: s.crd !== undefined });
  if (patched.metadata.resourceVersion === undefined) patched.metadata.resourceVersion = live.metadata.resourceVersion ?? '';
  const opts: WriteOptions = { ...p.write, dryRun: dry, fieldManager: fieldManagerOf(req, params), owned: true };
  return { code: 200, object: api.update(s, ns, name, patched, opts, subresource) };
}
