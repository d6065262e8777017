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

function sendOnce(server: string, agent: http.Agent, req: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
  const url = new URL(server.replace(/\/$/, '') + req.path);
  for (const [key, value] of Object.entries(req.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  const what = `${req.method} ${url.pathname}`;
  const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
  const headers: Record<string, string | number> = { Accept: 'application/json', ...req.headers };
  if (payload) {
    headers['Content-Type'] = req.contentType ?? 'application/json';
    headers['Content-Length'] = payload.length;
  }
  const lib = url.protocol === 'http:' ? http : https;
  return new Promise<HttpResponse>((resolve, reject) => {
    const request = lib.request(url, { method: req.method, headers, agent, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => reject(networkError(what, error)));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
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
