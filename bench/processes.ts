/**
 * The processes a benchmark run starts besides the sim: a real nats-server (with its monitoring port, for message
 * counts) and the operators, each in its own Node process as in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '#shared/process/free-port.ts';

/** Re-exported for the callers of this module. */
export { freePort };

/** Polls `probe` until it is true; throws `message` after `timeoutMs`. */
export async function until(
  probe: () => Promise<boolean> | boolean, timeoutMs: number, message: string, fatal?: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reason = fatal?.();
    if (reason) throw new Error(`${message}: ${reason}`);
    if (await Promise.resolve(probe()).catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}`);
}

export interface Spawned {
  name: string;
  pid: number;
  child: ChildProcess;
  logPath: string;
  /** The last lines the process wrote (diagnostics). */
  logTail(lines?: number): string;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

function spawnLogged(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, logDir: string): Spawned {
  const logPath = join(logDir, `${name}.log`);
  const out = createWriteStream(logPath);
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name, pid: child.pid ?? 0, child, logPath,
    logTail(lines = 20) {
      return existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').slice(-lines).join('\n') : '';
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      await new Promise<void>((resolve) => out.end(() => resolve()));
    },
  };
}

export interface NatsServer extends Spawned {
  url: string;
  monitorUrl: string;
  storeDir: string;
}

/** nats-server with JetStream, a private store and an HTTP monitoring port (`/varz` message counters). */
export async function startNatsServer(logDir: string): Promise<NatsServer> {
  const port = await freePort();
  const monitorPort = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'nimbus-bench-nats-'));
  const binary = existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server';
  const spawned = spawnLogged('nats-server', binary,
    ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort), '-js', '-sd', storeDir], process.env, logDir);
  const monitorUrl = `http://127.0.0.1:${monitorPort}`;
  await until(async () => (await fetch(`${monitorUrl}/healthz`)).ok, 10_000, 'nats-server');
  return {
    ...spawned, url: `nats://127.0.0.1:${port}`, monitorUrl, storeDir,
    async stop() {
      await spawned.stop();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

/** Messages the server received from clients and sent to them so far (all subjects, JetStream API included). */
export async function natsMessageCounts(monitorUrl: string): Promise<{ inMsgs: number; outMsgs: number }> {
  const varz = (await (await fetch(`${monitorUrl}/varz`)).json()) as { in_msgs?: number; out_msgs?: number };
  return { inMsgs: varz.in_msgs ?? 0, outMsgs: varz.out_msgs ?? 0 };
}

export interface OperatorProcess extends Spawned {
  httpPort: number;
  metricsText(): Promise<string>;
}

export interface OperatorLaunch {
  name: string;
  /** `node` arguments that start it, e.g. `['--import', 'tsx', 'operators/couchdb/main.ts']`. */
  nodeArgs: string[];
  env: Record<string, string>;
}

/** Starts one operator and waits until `/readyz` says its caches are synced. */
export async function startOperator(launch: OperatorLaunch, logDir: string, readyTimeoutMs = 60_000): Promise<OperatorProcess> {
  const httpPort = await freePort();
  const env = { ...process.env, ...launch.env, HTTP_PORT: String(httpPort) };
  const spawned = spawnLogged(launch.name, process.execPath, launch.nodeArgs, env, logDir);
  const base = `http://127.0.0.1:${httpPort}`;
  try {
    await until(async () => (await fetch(`${base}/readyz`)).ok, readyTimeoutMs, `operator ${launch.name} /readyz`,
      () => (spawned.child.exitCode !== null ? `exited with code ${spawned.child.exitCode}` : undefined));
  } catch (error) {
    await spawned.stop(1_000);
    throw new Error(`operator ${launch.name} did not become ready:\n${spawned.logTail()}`, { cause: error });
  }
  return { ...spawned, httpPort, metricsText: async () => (await fetch(`${base}/metrics`)).text() };
}

/** Sum of every sample of a metric in a Prometheus text exposition (0 when absent). */
export function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}
