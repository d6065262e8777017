/**
 * Launches a local `nats-server` process and waits until it serves clients: the one launcher behind `npm start`
 * (`cli/nats-server.ts`) and the test fixture (`test/fixtures/nats.ts`). Process management only: no NATS client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { killOnExit } from './kill-on-exit.ts';

/** The nats-server executable on `pathVariable` or in `extraDirs` (sbin folders, often not on a user's PATH). */
export function findNatsServer(
  pathVariable: string = process.env['PATH'] ?? '', extraDirs: readonly string[] = ['/usr/sbin', '/usr/local/sbin'],
): string | undefined {
  const dirs = [...pathVariable.split(delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const candidate = join(dir, 'nats-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** Resolves true when the server at `port` sends its INFO line. */
function sendsInfo(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (ok: boolean): void => { socket.destroy(); resolve(ok); };
    socket.setTimeout(1000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('data', (chunk: Buffer) => finish(chunk.toString('utf8').startsWith('INFO')));
  });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** The server did not come up: it exited during start-up or missed the deadline. */
export class NatsStartError extends Error {
  override name = 'NatsStartError';
}

export interface LaunchNatsOptions {
  /** The executable (see `findNatsServer`). */
  binary: string;
  /** Listen on 127.0.0.1:`port`. */
  port: number;
  /** Enable JetStream (`-js`) storing here; without it, core NATS only. */
  storeDir?: string | undefined;
  /** Its own process group, so a terminal's Ctrl-C reaches only the parent (default false). */
  detached?: boolean | undefined;
  /** How long to wait for the server to accept clients (default 10 000 ms). */
  startTimeoutMs?: number | undefined;
  /** Everything the server writes on stdout and stderr, as it comes (diagnostics). */
  onOutput?: ((text: string) => void) | undefined;
}

export interface NatsServerProcess {
  port: number;
  pid: number;
  /** True while the process is alive. */
  running(): boolean;
  /** Send `signal` (unless already gone) and resolve once the process has exited. */
  signal(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM, SIGKILL after `graceMs`; resolves on exit. */
  terminate(graceMs: number): Promise<void>;
}

/** Spawn nats-server and resolve once it has said "Server is ready" and answers with INFO on its port. */
export async function launchNatsServer(options: LaunchNatsOptions): Promise<NatsServerProcess> {
  const { port } = options;
  const args = ['-a', '127.0.0.1', '-p', String(port), ...(options.storeDir ? ['-js', '-sd', options.storeDir] : [])];
  const child = spawn(options.binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false });
  const forget = killOnExit(child);
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let tail = '';
  // The INFO probe alone could be answered by another server on the same port: wait for our own process to say it.
  let readySeen = false;
  const keep = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-4000);
    if (tail.includes('Server is ready')) readySeen = true;
    options.onOutput?.(text);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('error', (error) => keep(Buffer.from(`spawn ${options.binary}: ${error.message}\n`)));
  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    if (!exited(child)) child.kill(sig);
    await gone;
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  // Fail fast when the process dies during start-up (port taken, bad flag) instead of waiting for the deadline.
  while (!(readySeen && (await sendsInfo(port)))) {
    if (exited(child) || child.pid === undefined || Date.now() > deadline) {
      const why = exited(child) || child.pid === undefined ? 'exited during start-up' : 'missed its start deadline';
      if (child.pid !== undefined) await signal('SIGKILL');
      else forget();
      throw new NatsStartError(`nats-server did not start on port ${port} (${why}): ${tail.trim().split('\n').slice(-3).join(' | ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    pid: child.pid ?? -1,
    running: () => !exited(child),
    signal,
    async terminate(graceMs) {
      if (!exited(child)) child.kill('SIGTERM');
      const timer = setTimeout(() => { if (!exited(child)) child.kill('SIGKILL'); }, graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
}
