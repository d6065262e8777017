/**
 * Runs a local `nats-server` with JetStream for `npm start`: found on PATH (or /usr/sbin, where Debian puts it),
 * listening on 127.0.0.1 on a free port, its store in a directory the caller owns. Awaited until it accepts clients.
 * The spawning and the ready-wait are `#shared/process/nats-server.ts`, which the test fixture uses too.
 */
import { freePort } from '#shared/process/free-port.ts';
import { findNatsServer, launchNatsServer, NatsStartError } from '#shared/process/nats-server.ts';
import { CliError } from './errors.ts';

export { findNatsServer };

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

/** Start nats-server with JetStream storing in `storeDir`. Throws CliError with `natsMissingMessage` when absent. */
export async function startLocalNats(storeDir: string, options: { startTimeoutMs?: number } = {}): Promise<LocalNats> {
  const binary = findNatsServer();
  if (!binary) throw new CliError(natsMissingMessage);
  const port = await freePort();
  const server = await launchNatsServer({
    binary, port, storeDir, startTimeoutMs: options.startTimeoutMs,
    // Its own process group: a terminal's Ctrl-C reaches only us, and we stop the server after the operators have
    // flushed their events to it.
    detached: true,
  }).catch((error: unknown) => {
    throw error instanceof NatsStartError ? new CliError(error.message, { cause: error }) : error;
  });
  let stopping: Promise<void> | undefined;
  return {
    url: `nats://127.0.0.1:${port}`,
    pid: server.pid,
    stop(graceMs = 5000) {
      stopping ??= server.terminate(graceMs);
      return stopping;
    },
  };
}
