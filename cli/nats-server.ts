/**
 * Runs a local `nats-server` with JetStream for `npm start`: found on PATH (or /usr/sbin, where Debian puts it),
 * listening on 127.0.0.1 on a free port, its store in a directory the caller owns. Awaited until it accepts clients.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer, connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { CliError } from './errors.ts';

/** The one line printed when nats-server is missing. */
export const natsMissingMessage =
  'nats-server not found on PATH: install it (`apt-get install nats-server`, or see https://docs.nats.io) or run `npm start -- --no-events` to run without the event bus';

export interface LocalNats {
  /** `nats://127.0.0.1:<port>` */
  url: string;
  pid: number;
  /** SIGTERM, wait for the exit (SIGKILL after `graceMs`). Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

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

/** A port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function acceptsClients(port: number): Promise<boolean> {
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

/** Start nats-server with JetStream storing in `storeDir`. Throws CliError with `natsMissingMessage` when absent. */
export async function startLocalNats(storeDir: string, options: { startTimeoutMs?: number } = {}): Promise<LocalNats> {
  const binary = findNatsServer();
  if (!binary) throw new CliError(natsMissingMessage);
  const port = await freePort();
  const child = spawn(binary, ['-js', '-sd', storeDir, '-a', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a terminal's Ctrl-C reaches only us, and we stop the server after the operators have
    // flushed their events to it.
    detached: true,
  });
  // Never leave the server behind if this process dies without a clean stop.
  const killOnExit = (): void => { if (!exited(child)) child.kill('SIGKILL'); };
  process.on('exit', killOnExit);
  let output = '';
  let ready = false;
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
    if (output.includes('Server is ready')) ready = true;
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  while (!(ready && (await acceptsClients(port)))) {
    if (exited(child) || Date.now() > deadline) {
      killOnExit();
      throw new CliError(`nats-server did not start on port ${port}: ${output.trim().split('\n').slice(-3).join(' | ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  let stopping: Promise<void> | undefined;
  return {
    url: `nats://127.0.0.1:${port}`,
    pid: child.pid ?? -1,
    stop(graceMs = 5000) {
      stopping ??= (async () => {
        if (!exited(child)) child.kill('SIGTERM');
        const timer = setTimeout(killOnExit, graceMs);
        await gone;
        clearTimeout(timer);
        process.off('exit', killOnExit);
      })();
      return stopping;
    },
  };
}
