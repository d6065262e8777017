/** The `/scale` subresource of Deployments and StatefulSets (autoscaling/v1 Scale), as `kubectl scale` uses it. */
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '#shared/kube/types.ts';
import type { Served } from '#sim/resources/registry.ts';
import type { ServerContext } from '#sim/server/context.ts';
import { badRequest, conflict, methodNotAllowed } from '#sim/server/status.ts';
import { dryRun } from '#sim/server/options.ts';
import { applyPatch } from '#sim/patch/index.ts';
import { fieldManagerOf } from '#sim/server/patch-handler.ts';

type Rec = Record<string, unknown>;
function rec(v: unknown): Rec { return v && typeof v === 'object' && !Array.isArray(v) ? v as Rec : {}; }

/** The Scale view of a workload. */
export function scaleOf(obj: KubeObject): KubeObject {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  const labels = rec(rec(spec.selector).matchLabels);
  const metadata: KubeObject['metadata'] = {};
  for (const k of ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp'] as const) {
    const v = obj.metadata[k];
    if (v !== undefined) metadata[k] = v;
  }
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata,
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 1 },
    status: {
      replicas: typeof status.replicas === 'number' ? status.replicas : 0,
      selector: Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`).join(','),
    },
  };
}

/** GET / PUT / PATCH of `<workload>/scale`; answers the Scale. */
export function handleScale(ctx: ServerContext, req: IncomingMessage, s: Served, ns: string | undefined, name: string, body: string, params: URLSearchParams): KubeObject {
  const api = ctx.api;
  const live = api.get(s, ns, name);
  const method = req.method ?? 'GET';
  if (method === 'GET') return scaleOf(live);
  let wanted: KubeObject;
  if (method === 'PUT') {
    try { wanted = JSON.parse(body) as KubeObject; } catch { throw badRequest('the object provided is unrecognized (must be of type Scale)'); }
    const rv = rec(wanted.metadata).resourceVersion;
    if (typeof rv === 'string' && rv !== '' && rv !== live.metadata.resourceVersion) throw conflict(s.info, name);
  } else if (method === 'PATCH') {
    wanted = applyPatch(scaleOf(live), body, req.headers['content-type'] ?? '', 'Scale', { custom: false });
  } else {
    throw methodNotAllowed();
  }
  const replicas = rec(wanted.spec).replicas;
  if (typeof replicas !== 'number') return scaleOf(live);
  const next: KubeObject = { ...structuredClone(live), spec: { ...rec(live.spec), replicas } };
  const dry = dryRun(params, method === 'PUT' ? 'UpdateOptions' : 'PatchOptions');
  return scaleOf(api.update(s, ns, name, next, { dryRun: dry, fieldManager: fieldManagerOf(req, params) }));
}
