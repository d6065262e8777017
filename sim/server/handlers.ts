/** The resource endpoints: GET (get/list/watch/Table), POST, PUT, PATCH, DELETE on collections, objects, /status. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as yaml from 'js-yaml';
import type { KubeObject } from '#shared/kube/types.ts';
import { StatusError } from '#sim/types.ts';
import { decodeProtobufObject } from '#sim/builtins/index.ts';
import type { WriteOptions } from '#sim/store/api.ts';
import { deepEqual } from '#sim/store/equal.ts';
import type { Served } from '#sim/resources/registry.ts';
import { RETURN_OBJECT_ON_DELETE } from '#sim/resources/builtin.ts';
import type { ServerContext } from '#sim/server/context.ts';
import { badRequest, methodNotAllowed, resourceNotFound, unsupportedMediaType } from '#sim/server/status.ts';
import { readBody, readBodyBytes, sendJson, sendJsonText } from '#sim/server/io.ts';
import { jsonOf } from '#sim/store/json.ts';
import { both, parseFieldSelector, parseLabelSelector } from '#sim/store/selectors.ts';
import { OpenWatch } from '#sim/server/watch.ts';
import { toTable, wantsTable } from '#sim/server/table.ts';
import { deleteOptions, dryRun } from '#sim/server/options.ts';
import { fieldManagerOf, patch } from '#sim/server/patch-handler.ts';
import { handleScale } from '#sim/server/scale.ts';
import { finalizeNamespace } from '#sim/server/finalize.ts';
import { runInRequest } from '#sim/auth/request-context.ts';

/** A resolved resource request. */
export interface ResourceRequest {
  served: Served;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
  verb: string;
  params: URLSearchParams;
}

function apiVersionOf(s: Served): string {
  return s.info.group ? `${s.info.group}/${s.info.version}` : s.info.version;
}

/** The object as served at the requested version. */
function present(s: Served, obj: KubeObject): KubeObject {
  const av = apiVersionOf(s);
  return obj.apiVersion === av ? obj : { ...obj, apiVersion: av };
}

const BODY_FORMATS = 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** The media type of a Content-Type header (lower-case, parameters dropped; JSON when absent). */
function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
}

/**
 * Decodes a request body: JSON, YAML, or the protobuf envelope of the kinds `kubectl create <kind>` sends that way
 * (sim/builtins decodes Namespace, ServiceAccount, ConfigMap, Secret and the RBAC kinds; others answer 415).
 */
function parseObject(s: Served, bytes: Buffer, contentType: string | undefined): KubeObject {
  const type = mediaTypeOf(contentType);
  if (type === PROTOBUF) {
    let decoded: KubeObject | undefined;
    try {
      decoded = decodeProtobufObject(bytes);
    } catch (err) {
      throw Object.assign(badRequest(`the object provided is unrecognized (must be of type ${s.info.kind}): ${err instanceof Error ? err.message : String(err)}`), { cause: err });
    }
    if (!decoded) throw unsupportedMediaType(BODY_FORMATS, false);
    return decoded;
  }
  if (type !== 'application/json' && type !== 'application/yaml' && type !== '') throw unsupportedMediaType(BODY_FORMATS, false);
  const text = bytes.toString('utf8');
  let v: unknown;
  try {
    v = type === 'application/yaml' ? yaml.load(text) : JSON.parse(text);
  } catch (err) {
    const snippet = text.length > 30 ? `${text.slice(0, 30)} ...` : text;
    const why = err instanceof Error && /end of JSON|Unterminated|Expected/.test(err.message) ? 'unexpected end of JSON input' : 'invalid character in JSON input';
    throw badRequest(`the object provided is unrecognized (must be of type ${s.info.kind}): couldn't get version/kind; json parse error: ${why} (${snippet})`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw badRequest(`the object provided is unrecognized (must be of type ${s.info.kind}): couldn't get version/kind; json parse error: expected an object`);
  }
  const obj = v as KubeObject;
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {};
  return obj;
}

const RBAC_KINDS = new Set(['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings']);

/** Without the fields garbage collection changes (owner references, finalizers) and the bookkeeping ones. */
function withoutGcFields(obj: KubeObject): KubeObject {
  const { ownerReferences: _o, finalizers: _f, managedFields: _m, resourceVersion: _r, ...meta } = obj.metadata;
  return { ...obj, metadata: meta };
}

/** Request-scoped write options: the RBAC escalation check on RBAC objects. */
function requestChecks(ctx: ServerContext, req: IncomingMessage, s: Served): WriteOptions {
  const escalation = ctx.escalation;
  if (!escalation || s.info.group !== 'rbac.authorization.k8s.io' || !RBAC_KINDS.has(s.info.name)) return {};
  return {
    check: (obj, old) => {
      // Like the real RBAC storage: an update that only changes what GC needs (finalizers, owners) is not checked.
      if (old && deepEqual(withoutGcFields(obj), withoutGcFields(old))) return;
      const denied = escalation(req, obj);
      if (denied) throw new StatusError(denied);
    },
  };
}

/** The Kubernetes verb of a request. */
export function verbOf(method: string, hasName: boolean, params: URLSearchParams): string {
  switch (method) {
    case 'GET': case 'HEAD': {
      if (hasName) return 'get';
      const w = params.get('watch');
      return w === '1' || w === 'true' ? 'watch' : 'list';
    }
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return hasName ? 'delete' : 'deletecollection';
    default: return method.toLowerCase();
  }
}

function list(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, r: ResourceRequest): void {
  const s = r.served;
  const selector = both(parseLabelSelector(r.params.get('labelSelector')), parseFieldSelector(r.params.get('fieldSelector'), s.info.name));
  if (r.verb === 'watch') {
    const timeout = r.params.get('timeoutSeconds');
    new OpenWatch(res, ctx.hub, apiVersionOf(s)).start(req, ctx.api.objects, {
      served: s, namespace: r.namespace, selector,
      resourceVersion: r.params.get('resourceVersion'),
      allowBookmarks: r.params.get('allowWatchBookmarks') === 'true',
      timeoutSeconds: timeout ? Number(timeout) : undefined,
      bookmarkIntervalMs: ctx.bookmarkIntervalMs,
      render: wantsTable(req.headers.accept)
        ? (o) => toTable(s, ctx.api.admission, [present(s, o)], o.metadata.resourceVersion ?? '', r.params.get('includeObject'))
        : undefined,
    });
    return;
  }
  const result = ctx.api.list(s, r.namespace, selector);
  let items = result.items;
  const meta: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  const cont = r.params.get('continue');
  if (cont) {
    const after = Buffer.from(cont, 'base64url').toString('utf8');
    items = items.filter((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}` > after);
  }
  const limit = Number(r.params.get('limit') ?? '0');
  if (limit > 0 && items.length > limit) {
    const last = items[limit - 1]!;
    meta.continue = Buffer.from(`${last.metadata.namespace ?? ''}/${last.metadata.name ?? ''}`).toString('base64url');
    meta.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
  } else if (s.crd) {
    meta.continue = '';
  }
  if (wantsTable(req.headers.accept)) {
    sendJson(res, 200, toTable(s, ctx.api.admission, items.map((o) => present(s, o)), result.resourceVersion, r.params.get('includeObject')));
    return;
  }
  // Spliced from the items' cached texts: the same as JSON.stringify of the whole List, without re-serialising them.
  const head = JSON.stringify({ kind: `${s.info.kind}List`, apiVersion: apiVersionOf(s), metadata: meta });
  sendJsonText(res, 200, `${head.slice(0, -1)},"items":[${items.map((o) => jsonOf(present(s, o))).join(',')}]}`);
}

function deleteAnswer(s: Served, obj: KubeObject, removed: boolean): unknown {
  if (!removed || RETURN_OBJECT_ON_DELETE.has(s.info.name)) return present(s, obj);
  const details: Record<string, unknown> = { name: obj.metadata.name };
  if (s.info.group) details.group = s.info.group;
  details.kind = s.info.name;
  details.uid = obj.metadata.uid;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

/** Serves one resource request (errors are thrown as StatusError). */
export async function handleResource(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, r: ResourceRequest): Promise<void> {
  const s = r.served;
  const api = ctx.api;
  const method = req.method ?? 'GET';
  const sub = r.subresource ?? '';
  if (sub === 'scale' && r.name && s.info.subresources.includes('scale')) {
    const text = method === 'GET' ? '' : await readBody(req);
    const name = r.name;
    sendJson(res, 200, runInRequest(req, () => handleScale(ctx, req, s, r.namespace, name, text, r.params)));
    return;
  }
  if (sub === 'finalize' && s.key === '/namespaces' && r.name) {
    if (method !== 'PUT') throw methodNotAllowed();
    const name = r.name;
    const text = await readBody(req);
    sendJson(res, 200, runInRequest(req, () => finalizeNamespace(api, s, name, text, dryRun(r.params, 'UpdateOptions'))));
    return;
  }
  if (sub && sub !== 'status') {
    const handler = ctx.subresources.get(`${s.info.group}/${s.info.name}/${sub}`);
    if (!handler || !r.name || !s.info.subresources.includes(sub)) throw resourceNotFound();
    if (method !== 'POST') throw methodNotAllowed();
    const body = await readBody(req);
    const name = r.name;
    const out = await runInRequest(req, () => handler({ req, body, served: s, namespace: r.namespace, name, api }));
    sendJson(res, out.code, out.body);
    return;
  }
  if (sub === 'status' && !s.info.subresources.includes('status')) throw resourceNotFound();
  const status = sub === 'status' ? 'status' : '';
  switch (method) {
    case 'GET': case 'HEAD': {
      if (!r.name) { list(ctx, req, res, r); return; }
      const obj = present(s, api.get(s, r.namespace, r.name));
      if (wantsTable(req.headers.accept)) {
        sendJson(res, 200, toTable(s, api.admission, [obj], obj.metadata.resourceVersion ?? '', r.params.get('includeObject')));
        return;
      }
      sendJson(res, 200, obj);
      return;
    }
    case 'POST': {
      if (r.name || status) throw methodNotAllowed();
      const bytes = await readBodyBytes(req);
      const opts: WriteOptions = { ...requestChecks(ctx, req, s), dryRun: dryRun(r.params, 'CreateOptions'), fieldManager: fieldManagerOf(req, r.params), owned: true };
      const created = runInRequest(req, () => api.create(s, r.namespace, parseObject(s, bytes, req.headers['content-type']), opts));
      sendJson(res, 201, present(s, created));
      return;
    }
    case 'PUT': {
      if (!r.name) throw methodNotAllowed();
      const bytes = await readBodyBytes(req);
      const opts: WriteOptions = { ...requestChecks(ctx, req, s), dryRun: dryRun(r.params, 'UpdateOptions'), fieldManager: fieldManagerOf(req, r.params), owned: true };
      const name = r.name;
      sendJson(res, 200, present(s, runInRequest(req, () => api.update(s, r.namespace, name, parseObject(s, bytes, req.headers['content-type']), opts, status))));
      return;
    }
    case 'PATCH': {
      if (!r.name) throw methodNotAllowed();
      const text = await readBody(req);
      const name = r.name;
      const out = runInRequest(req, () => patch(ctx, req, {
        served: s, namespace: r.namespace, name, subresource: status, contentType: req.headers['content-type'] ?? '',
        body: text, params: r.params, write: requestChecks(ctx, req, s),
      }));
      sendJson(res, out.code, present(s, out.object));
      return;
    }
    case 'DELETE': {
      const text = await readBody(req);
      const opts = deleteOptions(r.params, text);
      if (!r.name) {
        const selector = both(parseLabelSelector(r.params.get('labelSelector')), parseFieldSelector(r.params.get('fieldSelector'), s.info.name));
        runInRequest(req, () => {
          for (const o of api.list(s, r.namespace, selector).items) api.delete(s, o.metadata.namespace, o.metadata.name ?? '', opts);
        });
        sendJson(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' });
        return;
      }
      const name = r.name;
      const out = runInRequest(req, () => api.delete(s, r.namespace, name, opts));
      sendJson(res, 200, deleteAnswer(s, out.object, out.removed));
      return;
    }
    default:
      throw methodNotAllowed();
  }
}
