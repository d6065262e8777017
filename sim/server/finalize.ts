/**
 * `PUT /api/v1/namespaces/<name>/finalize`: the only way to change a namespace's `spec.finalizers` (the main
 * endpoint keeps the stored spec). A Terminating namespace whose finalizers are all gone is then removed by the
 * namespace controller.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { Served } from '#sim/resources/registry.ts';
import type { Api } from '#sim/store/api.ts';
import { badRequest, conflict } from '#sim/server/status.ts';

/** Replaces `spec.finalizers` of namespace `name` with those of `text` (a Namespace); answers the stored namespace. */
export function finalizeNamespace(api: Api, s: Served, name: string, text: string, dryRun: boolean): KubeObject {
  let body: KubeObject;
  try {
    body = JSON.parse(text) as KubeObject;
  } catch (err) {
    throw Object.assign(badRequest('the object provided is unrecognized (must be of type Namespace)'), { cause: err });
  }
  const live = api.get(s, undefined, name);
  const rv = body.metadata?.resourceVersion;
  if (rv && rv !== live.metadata.resourceVersion) throw conflict(s.info, name);
  const wanted = (body.spec as { finalizers?: unknown } | undefined)?.finalizers;
  const finalizers = Array.isArray(wanted) ? wanted.map(String) : [];
  const next: KubeObject = { ...live, spec: { ...(live.spec as Record<string, unknown>), finalizers } };
  if (dryRun || JSON.stringify(finalizers) === JSON.stringify((live.spec as { finalizers?: unknown } | undefined)?.finalizers)) return next;
  return api.objects.put(s.key, next);
}
