/**
 * `--trace-requests`: one counting HTTP proxy per operator in front of the sim, so the run can say which operator
 * sends which requests (method × resource). Diagnostic only: the proxy adds a hop and uses the benchmark's CPU.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TraceProxy {
  kubeconfigPath: string;
  counts: Map<string, number>;
  close(): Promise<void>;
}

/** `GET /apis/nimbus.dev/v1alpha1/namespaces/x/couchdbs/y/status` → `GET couchdbs/status` (`?watch` → WATCH). */
export function requestClass(method: string, rawUrl: string): string {
  const url = new URL(rawUrl, 'http://x');
  const parts = url.pathname.split('/').filter(Boolean);
  const core = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  const rest = core[0] === 'namespaces' && core.length > 2 ? core.slice(2) : core;
  const resource = rest[0] ?? url.pathname;
  const sub = rest.length > 2 ? `/${rest[2]}` : '';
  const verb = url.searchParams.get('watch') === 'true' ? 'WATCH' : method === 'GET' && rest.length === 1 ? 'LIST' : method;
  return `${verb} ${resource}${sub}`;
}

export async function startTraceProxy(target: string): Promise<TraceProxy> {
  const counts = new Map<string, number>();
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer((req, res) => {
    const cls = requestClass(req.method ?? 'GET', req.url ?? '/');
    counts.set(cls, (counts.get(cls) ?? 0) + 1);
    const forward = http.request({
      host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent,
    }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-bench-trace-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, [
    'apiVersion: v1', 'kind: Config', 'clusters:', '- name: c', '  cluster:', `    server: http://127.0.0.1:${port}`,
    'users:', '- name: u', '  user: {}', 'contexts:', '- name: c', '  context: {cluster: c, user: u}', 'current-context: c', '',
  ].join('\n'));
  return {
    kubeconfigPath, counts,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
