/** Shared bits of the sim core tests: a started sim, client-node clients, and ApiException unwrapping. */
import * as k8s from '@kubernetes/client-node';
import { startApiServer } from '#sim/index.ts';
import type { ApiServer, ApiServerOptions } from '#sim/index.ts';

export interface Kit {
  sim: ApiServer;
  kc: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  custom: k8s.CustomObjectsApi;
  ext: k8s.ApiextensionsV1Api;
  objects: k8s.KubernetesObjectApi;
}

/** Starts a sim and the clients for it. */
export async function startKit(options: ApiServerOptions = {}): Promise<Kit> {
  const sim = await startApiServer({ quiet: true, ...options });
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  return {
    sim, kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    ext: kc.makeApiClient(k8s.ApiextensionsV1Api),
    objects: k8s.KubernetesObjectApi.makeApiClient(kc),
  };
}

/** The HTTP code and Status body of a failed call (throws when the call succeeds). */
export async function failureOf(p: Promise<unknown>): Promise<{ code: number; body: { reason?: string; message?: string; code?: number; details?: Record<string, unknown> } }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof k8s.ApiException) {
      const raw: unknown = err.body;
      const body = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { reason?: string; message?: string };
      return { code: err.code, body };
    }
    throw err;
  }
  throw new Error('expected the call to fail');
}

/** Creates a namespace. */
export async function namespace(kit: Kit, name: string): Promise<void> {
  await kit.core.createNamespace({ body: { metadata: { name } } });
}

/** A watch event as received. */
export interface Seen { type: string; name: string | undefined; object: Record<string, unknown> }

/** Runs a client-node Watch and records its events until `done`. */
export async function watchEvents(kit: Kit, path: string, query: Record<string, string | number | boolean | undefined>): Promise<{ events: Seen[]; done: Promise<unknown>; abort(): void }> {
  const events: Seen[] = [];
  let finish: (err: unknown) => void = () => undefined;
  const done = new Promise<unknown>((resolve) => { finish = resolve; });
  const ctl = await new k8s.Watch(kit.kc).watch(path, query, (type, obj: Record<string, unknown>) => {
    const meta = obj.metadata as { name?: string } | undefined;
    events.push({ type, name: meta?.name, object: obj });
  }, (err) => finish(err));
  return { events, done, abort: () => ctl.abort() };
}
