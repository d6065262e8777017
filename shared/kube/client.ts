/**
 * The one adapter over `@kubernetes/client-node` 1.4. KubeConfig does what it is good at (kubeconfig / in-cluster
 * loading, credentials, TLS material) and its `Watch` streams watches; plain requests go through `http.ts` over one
 * keep-alive agent, because client-node 1.4 makes a new agent (a new connection) per request.
 */
import { KubeConfig, Watch } from '@kubernetes/client-node';
import type http from 'node:http';
import { Discovery } from './discovery.ts';
import type { ResolvedResource } from './discovery.ts';
import { KubeApiError, NotFoundError } from './errors.ts';
import { createAgent, sendRequest } from './http.ts';
import type { HttpRequest } from './http.ts';
import { errorForStatus, isRecord, networkError } from './map-error.ts';
import type {
  ApplyOptions, DeleteOptions, KindRef, KubeClient, KubeObject, ListOptions, ObjectList, ObjectRef, PatchOptions, PatchType,
  WatchEvent, WatchEventType, WatchHandle, WatchOptions,
} from './types.ts';
import { WatchEventTypes } from './types.ts';

export interface KubeClientOptions {
  /** A kubeconfig file; default: in-cluster when `inCluster`, else `$KUBECONFIG` / `~/.kube/config`. */
  kubeconfigPath?: string | undefined;
  /** Server-side apply field manager, `nimbus-<operator>`. */
  fieldManager: string;
  inCluster?: boolean | undefined;
  userAgent?: string | undefined;
  /** Replaces the kubeconfig's credentials (run as a ServiceAccount in tests). */
  bearerToken?: string | undefined;
  /** Timeout of a non-watch request. Default 30 s. */
  requestTimeoutMs?: number | undefined;
}

/** A KubeClient that owns sockets: `close()` frees them. */
export interface ClosableKubeClient extends KubeClient {
  close(): void;
}

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** Loads the configuration, fixes it up for plain-HTTP servers and token override. */
function loadConfig(options: KubeClientOptions): KubeConfig {
  const kc = new KubeConfig();
  if (options.kubeconfigPath) kc.loadFromFile(options.kubeconfigPath);
  else if (options.inCluster) kc.loadFromCluster();
  else kc.loadFromDefault();
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  // client-node refuses http:// unless skipTLSVerify is set, which means nothing without TLS anyway.
  const fixedCluster = cluster.server.startsWith('http:') ? { ...cluster, skipTLSVerify: true } : cluster;
  const user = options.bearerToken ? { name: 'bearer-token', token: options.bearerToken } : kc.getCurrentUser();
  if (fixedCluster !== cluster || options.bearerToken) {
    kc.loadFromClusterAndUser(fixedCluster, user ?? { name: 'anonymous' });
  }
  return kc;
}

/** Creates the client. Throws when the kubeconfig cannot be loaded. */
export function createKubeClient(options: KubeClientOptions): ClosableKubeClient {
  const kc = loadConfig(options);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const server = cluster.server;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const fieldManager = options.fieldManager;
  let agent: http.Agent | undefined;

  /** Credentials are read per request (exec/refresh tokens may rotate); TLS material once, for the shared agent. */
  async function send(req: Omit<HttpRequest, 'headers'>): Promise<unknown> {
    const opts: { headers?: Record<string, unknown>; auth?: string; ca?: Buffer; cert?: Buffer; key?: Buffer } = {};
    await kc.applyToHTTPSOptions(opts);
    agent ??= createAgent(server, {
      ca: opts.ca, cert: opts.cert, key: opts.key,
      rejectUnauthorized: cluster?.skipTLSVerify ? false : undefined,
      servername: cluster?.tlsServerName,
    });
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(opts.headers ?? {})) {
      if (typeof value === 'string' || typeof value === 'number') headers[key] = String(value);
    }
    if (opts.auth) headers['Authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    if (options.userAgent) headers['User-Agent'] = options.userAgent;
    return (await sendRequest(server, agent, { ...req, headers }, timeoutMs)).body;
  }

  const discovery = new Discovery((path) => send({ method: 'GET', path }));

  function collectionPath(resource: ResolvedResource, namespace: string | undefined): string {
    return resource.namespaced && namespace
      ? `${resource.base}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`
      : `${resource.base}/${resource.plural}`;
  }
  async function objectPath(ref: ObjectRef, subresource = ''): Promise<string> {
    const resource = await discovery.resolve(ref.apiVersion, ref.kind);
    const path = `${collectionPath(resource, ref.namespace)}/${encodeURIComponent(ref.name)}`;
    return subresource ? `${path}/${subresource}` : path;
  }
  function refOf(object: KubeObject): ObjectRef {
    const { name, namespace } = object.metadata;
    if (!name) throw new KubeApiError({ code: 400, reason: 'BadRequest', message: `${object.kind} has no metadata.name` });
    return namespace ? { apiVersion: object.apiVersion, kind: object.kind, name, namespace } : { apiVersion: object.apiVersion, kind: object.kind, name };
  }
  async function serverSideApply<T extends KubeObject>(object: KubeObject, subresource: string, applyOptions?: ApplyOptions): Promise<T> {
    const query: Record<string, string | boolean> = { fieldManager, force: applyOptions?.force ?? true };
    if (applyOptions?.dryRun) query['dryRun'] = 'All';
    return (await send({
      method: 'PATCH', path: await objectPath(refOf(object), subresource), query, body: object,
      contentType: 'application/apply-patch+yaml',
    })) as T;
  }

  const client: ClosableKubeClient = {
    fieldManager,
    async get<T extends KubeObject>(ref: ObjectRef): Promise<T> {
      return (await send({ method: 'GET', path: await objectPath(ref) })) as T;
    },
    async tryGet<T extends KubeObject>(ref: ObjectRef): Promise<T | undefined> {
      try {
        return await client.get<T>(ref);
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
    async list<T extends KubeObject>(kind: KindRef, listOptions: ListOptions = {}): Promise<ObjectList<T>> {
      const resource = await discovery.resolve(kind.apiVersion, kind.kind);
      const body = await send({
        method: 'GET', path: collectionPath(resource, kind.namespace),
        query: {
          labelSelector: listOptions.labelSelector, fieldSelector: listOptions.fieldSelector, limit: listOptions.limit,
          continue: listOptions.continueToken, resourceVersion: listOptions.resourceVersion,
        },
      });
      const record = isRecord(body) ? body : {};
      const metadata = isRecord(record['metadata']) ? record['metadata'] : {};
      const rawItems = Array.isArray(record['items']) ? (record['items'] as T[]) : [];
      // Real servers omit apiVersion/kind on list items.
      const items = rawItems.map((item) => ({ ...item, apiVersion: kind.apiVersion, kind: kind.kind }));
      const resourceVersion = typeof metadata['resourceVersion'] === 'string' ? metadata['resourceVersion'] : '';
      const list: ObjectList<T> = { items, resourceVersion };
      if (typeof metadata['continue'] === 'string' && metadata['continue']) list.continueToken = metadata['continue'];
      return list;
    },
    async watch(kind: KindRef, watchOptions: WatchOptions, onEvent: (event: WatchEvent) => void): Promise<WatchHandle> {
      const resource = await discovery.resolve(kind.apiVersion, kind.kind);
      const path = collectionPath(resource, kind.namespace);
      const query: Record<string, string | number | boolean | undefined> = {
        labelSelector: watchOptions.labelSelector, fieldSelector: watchOptions.fieldSelector,
        resourceVersion: watchOptions.resourceVersion, allowWatchBookmarks: watchOptions.allowWatchBookmarks,
        timeoutSeconds: watchOptions.timeoutSeconds,
      };
      return startWatch(kc, path, query, onEvent);
    },
    apply: (object, applyOptions) => serverSideApply(object, '', applyOptions),
    applyStatus: (object, applyOptions) => serverSideApply(object, 'status', applyOptions),
    async patch<T extends KubeObject>(ref: ObjectRef, patch: unknown, type: PatchType, patchOptions?: PatchOptions): Promise<T> {
      return (await send({
        method: 'PATCH', path: await objectPath(ref, patchOptions?.subresource ?? ''), body: patch,
        contentType: patchContentTypes[type], query: { fieldManager },
      })) as T;
    },
    async create<T extends KubeObject>(object: KubeObject): Promise<T> {
      const resource = await discovery.resolve(object.apiVersion, object.kind);
      return (await send({
        method: 'POST', path: collectionPath(resource, object.metadata.namespace), body: object, query: { fieldManager },
      })) as T;
    },
    async delete(ref: ObjectRef, deleteOptions: DeleteOptions = {}): Promise<void> {
      try {
        await send({
          method: 'DELETE', path: await objectPath(ref),
          body: { apiVersion: 'v1', kind: 'DeleteOptions', ...deleteOptions },
        });
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    },
    close(): void {
      agent?.destroy();
      agent = undefined;
    },
  };
  return client;
}

/** Streams one watch with client-node's Watch; `done` resolves when the server ends it or on abort. */
async function startWatch(
  kc: KubeConfig, path: string, query: Record<string, string | number | boolean | undefined>,
  onEvent: (event: WatchEvent) => void,
): Promise<WatchHandle> {
  let aborted = false;
  let settled: { error: unknown } | undefined;
  let resolveDone: () => void = () => {};
  let rejectDone: (error: unknown) => void = () => {};
  const done = new Promise<void>((resolve, reject) => { resolveDone = resolve; rejectDone = reject; });
  done.catch(() => { /* observed by the caller through `done`; never an unhandled rejection */ });
  const watcher = new Watch(kc);
  const what = `WATCH ${path}`;
  const controller = await watcher.watch(path, query, (type: string, object: unknown) => {
    if (!(WatchEventTypes as readonly string[]).includes(type) || !isRecord(object)) return;
    onEvent({ type: type as WatchEventType, object: object as KubeObject });
  }, (error: unknown) => {
    if (settled) return;
    settled = { error: aborted ? undefined : error };
    if (settled.error) rejectDone(watchError(what, settled.error));
    else resolveDone();
  });
  // A watch refused at the start (e.g. 410, 403, 500) fails the call itself.
  if (settled?.error) throw watchError(what, settled.error);
  return {
    done,
    abort(): void {
      aborted = true;
      controller.abort();
      if (!settled) { settled = { error: undefined }; resolveDone(); }
    },
  };
}

function watchError(what: string, error: unknown): Error {
  const code = isRecord(error) && typeof error['statusCode'] === 'number' ? error['statusCode'] : undefined;
  if (code !== undefined) {
    const reason = code === 410 ? 'Expired' : '';
    return errorForStatus(code, { kind: 'Status', code, reason, message: `${what}: HTTP ${code}` }, undefined, what);
  }
  return networkError(what, error);
}
