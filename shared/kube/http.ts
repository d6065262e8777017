/**
 * The request path of the kube adapter: plain node:http(s) over ONE keep-alive agent per client, so that connections
 * are reused (client-node 1.4 builds a new agent, hence a new TCP/TLS connection, for every request it makes).
 */
import http from 'node:http';
import https from 'node:https';
import { errorForStatus, networkError } from './map-error.ts';

export interface TlsMaterial {
  ca?: string | Buffer | undefined;
  cert?: string | Buffer | undefined;
  key?: string | Buffer | undefined;
  rejectUnauthorized?: boolean | undefined;
  servername?: string | undefined;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Always explicit for bodies: the server picks the patch strategy from it. */
  contentType?: string;
  headers: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  body: unknown;
}

/** A keep-alive agent suited to the server URL. */
export function createAgent(server: string, tls: TlsMaterial, pool: { maxSockets?: number } = {}): http.Agent {
  // As many idle sockets kept as may be busy: a reconcile applies its children in parallel, and a pool that closes
  // sockets beyond a smaller idle limit reconnects on every burst.
  const maxSockets = pool.maxSockets ?? 64;
  const common = { keepAlive: true, keepAliveMsecs: 30_000, maxSockets, maxFreeSockets: Number.isFinite(maxSockets) ? maxSockets : 256 };
  if (server.startsWith('http:')) return new http.Agent(common);
  const options: https.AgentOptions = { ...common };
  if (tls.ca !== undefined) options.ca = tls.ca;
  if (tls.cert !== undefined) options.cert = tls.cert;
  if (tls.key !== undefined) options.key = tls.key;
  if (tls.rejectUnauthorized !== undefined) options.rejectUnauthorized = tls.rejectUnauthorized;
  if (tls.servername !== undefined) options.servername = tls.servername;
  return new https.Agent(options);
}

/**
 * Sends one request and returns the parsed JSON answer; throws the typed error for >= 400 and KubeUnavailableError
 * when no answer came within `timeoutMs`.
 */
export async function sendRequest(server: string, agent: http.Agent, req: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
  try {
    return await sendOnce(server, agent, req, timeoutMs);
  } catch (error) {
    // A pooled connection the server closed while idle: the request never reached it, so sending again is safe.
    if (error instanceof StaleSocketError) return sendOnce(server, agent, req, timeoutMs);
    throw error;
  }
}

class StaleSocketError extends Error { override name = 'StaleSocketError'; }

/** Where requests to a server URL go: parsed once per server, not per request (`new URL` and its query are not free). */
interface Target {
  lib: typeof http | typeof https;
  hostname: string;
  port: string;
  /** The server URL's own path (`https://host/prefix`), without a trailing slash. */
  basePath: string;
  /** `user:password` of a server URL that carries them (node:http sends it as basic auth). */
  auth?: string;
}

const targets = new Map<string, Target>();

function targetOf(server: string): Target {
  let target = targets.get(server);
  if (!target) {
    const url = new URL(server);
    // `[::1]` → `::1`, as node:http wants it (what it does itself for a URL object).
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    target = { lib: url.protocol === 'http:' ? http : https, hostname, port: url.port, basePath: url.pathname.replace(/\/$/, '') };
    if (url.username || url.password) target.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    targets.set(server, target);
  }
  return target;
}

/** `path?query` with the defined query values, percent-encoded. */
function pathWithQuery(path: string, query: HttpRequest['query']): string {
  let out = path;
  let separator = path.includes('?') ? '&' : '?';
  for (const key in query) {
    const value = query[key];
    if (value === undefined) continue;
    out += `${separator}${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`;
    separator = '&';
  }
  return out;
}

function sendOnce(server: string, agent: http.Agent, req: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
  const target = targetOf(server);
  const path = target.basePath + req.path;
  const what = `${req.method} ${path}`;
  const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
  const headers: Record<string, string | number> = { Accept: 'application/json', ...req.headers };
  if (payload) {
    headers['Content-Type'] = req.contentType ?? 'application/json';
    headers['Content-Length'] = payload.length;
  }
  const options: http.RequestOptions = {
    hostname: target.hostname, path: pathWithQuery(path, req.query), method: req.method, headers, agent, timeout: timeoutMs,
  };
  if (target.port) options.port = target.port;
  if (target.auth) options.auth = target.auth;
  return new Promise<HttpResponse>((resolve, reject) => {
    const request = target.lib.request(options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => reject(networkError(what, error)));
      response.on('end', () => {
        const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
        let body: unknown = text;
        try { body = text ? JSON.parse(text) : undefined; } catch { /* not JSON: keep the text for the message */ }
        const status = response.statusCode ?? 0;
        if (status >= 400) {
          const retryAfter: string | undefined = response.headers['retry-after'];
          reject(errorForStatus(status, body, retryAfter, what));
        } else {
          resolve({ status, body });
        }
      });
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) => {
      const stale = request.reusedSocket && error.code === 'ECONNRESET';
      reject(stale ? new StaleSocketError(error.message, { cause: error }) : networkError(what, error));
    });
    request.end(payload);
  });
}
