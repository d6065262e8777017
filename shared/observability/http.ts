/**
 * The probe and metrics endpoint every operator serves: `/healthz` (liveness: the process answers), `/readyz`
 * (readiness: caches synced, leader or standby, whatever the operator decides), `/metrics` (Prometheus text).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

/** Readiness with an explanation, shown in the 503 body so `kubectl describe pod` says why. */
export interface ReadyState {
  ready: boolean;
  reason?: string;
}

export interface HealthServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Listen address; all interfaces by default (kubelet probes come from outside the pod). */
  host?: string;
  metrics: Pick<Metrics, 'text' | 'contentType'>;
  isReady: () => boolean | ReadyState;
  log: Logger;
}

export interface HealthServer {
  /** The port actually bound (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  res.end(body);
}

function readiness(isReady: () => boolean | ReadyState): ReadyState {
  try {
    const state = isReady();
    return typeof state === 'boolean' ? { ready: state } : state;
  } catch (error) {
    return { ready: false, reason: `readiness check failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Start the server; resolves once it listens. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { log, metrics } = options;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    switch (path) {
      case '/healthz':
      case '/livez':
        return send(res, 200, 'ok\n');
      case '/readyz': {
        const state = readiness(options.isReady);
        return state.ready ? send(res, 200, 'ok\n') : send(res, 503, `not ready: ${state.reason ?? 'starting'}\n`);
      }
      case '/metrics':
        return send(res, 200, await metrics.text(), metrics.contentType);
      default:
        return send(res, 404, 'not found\n');
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error({ err: error, url: req.url }, 'health server request failed');
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ port }, 'serving /healthz, /readyz and /metrics');
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
