/**
 * The whole of Nimbus on one machine with no cluster: the embedded API server (with its simulated kubelet and the
 * CRDs installed), a nats-server child process, and the operators in this process. Everything temporary lives in
 * two directories (the sim's kubeconfig folder and `stateDir`), both removed by `stop()`.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { createLogger } from '#shared/observability/logger.ts';
import { startApiServer, type ApiServer } from '#sim/index.ts';
import { startLocalNats, type LocalNats } from './nats-server.ts';
import { runOperators, type OperatorName, type RunningOperators } from './operators.ts';
import { crdDir } from './paths.ts';

export interface LocalSystemOptions {
  operators: readonly OperatorName[];
  kubeletDelayMs: number;
  /** Start nats-server (default true); false runs the operators with events off. */
  events: boolean;
  logLevel: string;
}

export interface LocalSystem {
  sim: ApiServer;
  /** Undefined with events off. */
  nats: LocalNats | undefined;
  operators: RunningOperators;
  /** Holds the operators' log and the NATS store. */
  stateDir: string;
  /** The operators' JSON log lines. */
  logPath: string;
  /** Stop operators, nats-server and the API server; remove the temporary directories. Idempotent. */
  stop(): Promise<void>;
}

/** Start everything; on a failure half-way, what was started is stopped again before the error is rethrown. */
export async function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const stateDir = await mkdtemp(join(tmpdir(), 'nimbus-start-'));
  const logPath = join(stateDir, 'operators.log');
  const logStream = createWriteStream(logPath, { flags: 'a' });
  const cleanups: Array<() => Promise<void>> = [
    async () => {
      logStream.end();
      await finished(logStream).catch(() => undefined);
      await rm(stateDir, { recursive: true, force: true });
    },
  ];
  const stopAll = async (): Promise<void> => {
    // Reverse start order: operators first (they flush events to NATS and finish reconciles against the API).
    for (const cleanup of cleanups.reverse().splice(0)) await cleanup();
  };
  try {
    const sim = await startApiServer({ kubeletDelayMs: options.kubeletDelayMs, crdDir, quiet: true });
    cleanups.push(() => sim.stop());
    let nats: LocalNats | undefined;
    if (options.events) {
      const storeDir = join(stateDir, 'nats');
      await mkdir(storeDir);
      nats = await startLocalNats(storeDir);
      const started = nats;
      cleanups.push(() => started.stop());
    }
    const operators = await runOperators({
      names: options.operators,
      env: {
        KUBECONFIG: sim.kubeconfigPath, NATS_URL: nats?.url, HTTP_PORT: '0', LOG_LEVEL: options.logLevel,
        // Short resyncs keep a lost event from stalling the demo for minutes.
        RESYNC_SECONDS: '30',
      },
      log: (name) => createLogger({ name: `nimbus-${name}`, level: options.logLevel, destination: logStream }),
    });
    cleanups.push(() => operators.stop());
    let stopping: Promise<void> | undefined;
    return { sim, nats, operators, stateDir, logPath, stop: () => (stopping ??= stopAll()) };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
