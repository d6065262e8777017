/** The HTTP front: faults and latency, routing, discovery, authorization, then the resource handlers. */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ServerContext } from '#sim/server/context.ts';
import { parseRoute } from '#sim/server/route.ts';
import { sendJson, sendPageNotFound, sendStatus } from '#sim/server/io.ts';
import { apiGroup, apiVersions, groupList, resourceList, versionInfo } from '#sim/server/discovery.ts';
import { handleResource, verbOf } from '#sim/server/handlers.ts';
import { internal, resourceNotFound, statusOfError } from '#sim/server/status.ts';
import { openapiGroupVersion, openapiIndex } from '#sim/server/openapi.ts';

/** Path characters the URL parser keeps as they are (no percent-encoding, no dot segments to resolve). */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9\-_~!$&'()*+,;=:@%/.]*$/;
const DOT_SEGMENT = /\/\.\.?(?:\/|$)|%2e/i;

/**
 * The path and query of a request target, as `new URL(target, base)` gives them. The common target (a plain path
 * and a query) is split by hand: the URL parser and its objects showed in every request's profile. Anything
 * unusual (fragments, dot segments, characters the parser encodes) still goes through the parser.
 */
export function splitTarget(target: string): { pathname: string; params: URLSearchParams } {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  if (PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path) && !target.includes('#')) {
    return { pathname: path, params: new URLSearchParams(q < 0 ? '' : target.slice(q + 1)) };
  }
  const url = new URL(target, 'http://sim');
  return { pathname: url.pathname, params: url.searchParams };
}

async function dispatch(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = splitTarget(req.url ?? '/');
  const route = parseRoute(url.pathname);
  const registry = ctx.api.registry;
  const method = req.method ?? 'GET';
  const isResource = route.type === 'resource';
  const verb = isResource ? verbOf(method, route.name !== undefined, url.params) : method.toLowerCase();
  const injected = ctx.faults.intercept(method, url.pathname, verb);
  if (ctx.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, ctx.faults.latencyMs));
  if (injected) { sendStatus(res, injected); return; }
  switch (route.type) {
    case 'version': sendJson(res, 200, versionInfo()); return;
    case 'health': res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok'); return;
    case 'apiVersions': sendJson(res, 200, apiVersions(req.headers.host ?? '127.0.0.1')); return;
    case 'groupList': sendJson(res, 200, groupList(registry)); return;
    case 'group':
      if (!registry.hasGroup(route.group)) { sendPageNotFound(res); return; }
      sendJson(res, 200, apiGroup(registry, route.group));
      return;
    case 'resourceList':
      if (!registry.hasGroupVersion(route.group, route.version)) { sendPageNotFound(res); return; }
      sendJson(res, 200, resourceList(registry, route.group, route.version));
      return;
    case 'openapi':
      if (route.version === 'v3') {
        const doc = route.rest === '' ? openapiIndex(registry) : openapiGroupVersion(registry, route.rest);
        if (doc !== undefined) { sendJson(res, 200, doc); return; }
      }
      sendPageNotFound(res);
      return;
    case 'unknown': sendPageNotFound(res); return;
    case 'resource': break;
  }
  if (!registry.hasGroupVersion(route.group, route.version)) { sendPageNotFound(res); return; }
  const served = registry.resolve(route.group, route.version, route.plural);
  if (!served) throw resourceNotFound();
  // A cluster-scoped resource has no namespaced endpoints; a namespaced one has no cluster-scoped object paths.
  if ((route.namespace !== undefined && !served.info.namespaced) || (route.namespace === undefined && served.info.namespaced && route.name !== undefined)) {
    sendPageNotFound(res);
    return;
  }
  if (ctx.authorizer) {
    const denied = ctx.authorizer(req, {
      verb, group: route.group, version: route.version, resource: route.plural, subresource: route.subresource ?? '',
      namespace: route.namespace ?? '', name: route.name ?? '', path: url.pathname,
    });
    if (denied) { sendStatus(res, denied); return; }
  }
  await handleResource(ctx, req, res, {
    served, namespace: route.namespace, name: route.name, subresource: route.subresource, verb, params: url.params,
  });
}

/** Creates the HTTP server (not yet listening). */
export function createApiServer(ctx: ServerContext, onError: (err: unknown) => void): Server {
  const server = createServer((req, res) => {
    dispatch(ctx, req, res).catch((err: unknown) => {
      const known = statusOfError(err);
      if (!known) onError(err);
      const status = known ?? internal(err).body;
      if (res.headersSent) { res.destroy(); return; }
      sendStatus(res, status);
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
