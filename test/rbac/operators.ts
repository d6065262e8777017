/**
 * Operators as child processes, each with its own identity: a ServiceAccount token from the TokenRequest API, a
 * kubeconfig carrying it (`users[].user.token`), and `node --import tsx operators/<name>/main.ts` with leader
 * election on, as the Deployment runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { repoRoot } from './manifests.ts';
import { freePort } from '#shared/process/free-port.ts';
import { killOnExit } from '#shared/process/kill-on-exit.ts';

/** Re-exported for the callers of this module. */
export { freePort };

/** A running operator process. */
export interface OperatorProcess {
  operator: string;
  child: ChildProcess;
  /** The /healthz, /readyz, /metrics port. */
  httpPort: number;
  /** Everything it wrote so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}


/** A token for a ServiceAccount from the sim's TokenRequest API (`kubectl create token`), asked as the admin. */
export async function requestToken(serverUrl: string, namespace: string, name: string): Promise<string> {
  const res = await fetch(`${serverUrl}/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } }),
  });
  const body = await res.json() as { status?: { token?: unknown } };
  if (res.status !== 201 || typeof body.status?.token !== 'string') throw new Error(`TokenRequest for ${namespace}/${name}: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body.status.token;
}

/** Writes a kubeconfig for `serverUrl` whose user is the bearer `token`; returns its path. */
export function writeTokenKubeconfig(dir: string, user: string, serverUrl: string, token: string): string {
  const path = join(dir, `${user}.kubeconfig`);
  writeFileSync(path, dump({
    apiVersion: 'v1', kind: 'Config', 'current-context': user,
    // client-node refuses plain http unless TLS verification is off (there is no TLS to verify).
    clusters: [{ name: 'sim', cluster: { server: serverUrl, 'insecure-skip-tls-verify': true } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: user, context: { cluster: 'sim', user } }],
  }));
  return path;
}

/** Starts `operators/<operator>/main.ts` with exactly `env` (plus PATH and HOME). */
export function startOperatorProcess(operator: string, httpPort: number, env: Record<string, string>): OperatorProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join('operators', operator, 'main.ts')], {
    cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', HTTP_PORT: String(httpPort), ...env },
  });
  killOnExit(child);
  const chunks: string[] = [];
  child.stdout?.on('data', (b: Buffer) => chunks.push(b.toString('utf8')));
  child.stderr?.on('data', (b: Buffer) => chunks.push(b.toString('utf8')));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    operator, child, httpPort,
    output: () => chunks.join(''),
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
