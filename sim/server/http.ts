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

async function dispatch(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim');
  const route = parseRoute(url.pathname);
  const registry = ctx.api.registry;
  const method = req.method ?? 'GET';
  const isResource = route.type === 'resource';
  const verb = isResource ? verbOf(method, route.name !== undefined, url.searchParams) : method.toLowerCase();
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
    served, namespace: route.namespace, name: route.name, subresource: route.subresource, verb, params: url.searchParams,
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
