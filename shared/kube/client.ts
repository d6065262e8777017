/**
 * The one adapter over `@kubernetes/client-node` 1.4, which it loads only when it must. Requests and watches go through
 * `http.ts` / `watch-stream.ts` over keep-alive agents (client-node 1.4 makes a new agent, hence a new connection, for
 * every request). The server and credentials come from `kubeconfig.ts` for the common cases (in-cluster service
 * account, token, client certificate, basic auth); only kubeconfigs with `exec` plugins, auth providers or proxies load
 * client-node's `KubeConfig`, whose generated API costs about 60 MiB of memory per process.
 */
import type http from 'node:http';
import { Discovery } from './discovery.ts';
import type { ResolvedResource } from './discovery.ts';
import { KubeApiError, NotFoundError } from './errors.ts';
import { createAgent, sendRequest } from './http.ts';
import type { HttpRequest, TlsMaterial } from './http.ts';
import { loadConnection, type Connection } from './kubeconfig.ts';
import { openWatch } from './watch-stream.ts';
import type {
  ApplyOptions, DeleteOptions, KindRef, KubeClient, KubeObject, ListOptions, ObjectList, ObjectRef, PatchOptions, PatchType,
  WatchEvent, WatchHandle, WatchOptions,
} from './types.ts';
import { isRecord } from './map-error.ts';

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

/** The connection through client-node's KubeConfig: exec plugins, auth providers, proxies, merged kubeconfigs. */
async function clientNodeConnection(options: KubeClientOptions): Promise<Connection> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  if (options.kubeconfigPath) kc.loadFromFile(options.kubeconfigPath);
  else if (options.inCluster) kc.loadFromCluster();
  else kc.loadFromDefault();
  const current = kc.getCurrentCluster();
  if (!current) throw new Error('kubeconfig has no current cluster');
  // client-node refuses http:// unless skipTLSVerify is set, which means nothing without TLS anyway.
  const cluster = current.server.startsWith('http:') ? { ...current, skipTLSVerify: true } : current;
  if (cluster !== current) kc.loadFromClusterAndUser(cluster, kc.getCurrentUser() ?? { name: 'anonymous' });
  const readOptions = async (): Promise<{ headers?: Record<string, unknown>; auth?: string; ca?: Buffer; cert?: Buffer; key?: Buffer }> => {
    const opts = {};
    await kc.applyToHTTPSOptions(opts);
    return opts;
  };
  const first = await readOptions();
  const tls: TlsMaterial = { ca: first.ca, cert: first.cert, key: first.key, servername: cluster.tlsServerName };
  if (cluster.skipTLSVerify) tls.rejectUnauthorized = false;
  return {
    server: cluster.server,
    tls,
    // Credentials are read per request: exec plugins and refresh tokens rotate them.
    async headers() {
      const opts = await readOptions();
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(opts.headers ?? {})) {
        if (typeof value === 'string' || typeof value === 'number') headers[key] = String(value);
      }
      if (opts.auth) headers['Authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
      return headers;
    },
  };
}

/** Creates the client. Throws when the kubeconfig cannot be loaded. */
export function createKubeClient(options: KubeClientOptions): ClosableKubeClient {
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const fieldManager = options.fieldManager;
  // Read now, so that a broken kubeconfig fails the start; only the client-node fallback is deferred.
  const direct = loadConnection(options);
  let connecting: Promise<Connection> | undefined = direct ? Promise.resolve(direct) : undefined;
  const connection = (): Promise<Connection> => (connecting ??= clientNodeConnection(options));
  let agent: http.Agent | undefined;
  let watchAgent: http.Agent | undefined;

  async function prepare(): Promise<{ server: string; headers: Record<string, string> }> {
    const conn = await connection();
    const headers = { ...(await conn.headers()) };
    if (options.userAgent) headers['User-Agent'] = options.userAgent;
    return { server: conn.server, headers };
  }

  async function send(req: Omit<HttpRequest, 'headers'>): Promise<unknown> {
    const conn = await connection();
    const { server, headers } = await prepare();
    agent ??= createAgent(server, conn.tls);
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
      const conn = await connection();
      const { server, headers } = await prepare();
      // Watches hold their socket for minutes: their own pool, so they never starve requests of sockets.
      watchAgent ??= createAgent(server, conn.tls, { maxSockets: Infinity });
      return openWatch({ server, agent: watchAgent, path, query, headers }, onEvent);
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
      watchAgent?.destroy();
      watchAgent = undefined;
    },
  };
  return client;
}
