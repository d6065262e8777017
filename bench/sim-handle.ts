/** Starts `sim-process.ts` as a child process and talks to it: its URL, its request counters, stop. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RequestCounts, SimReply, SimRequest } from './sim-protocol.ts';

export interface SimHandle {
  url: string;
  kubeconfigPath: string;
  pid: number;
  /** Requests the sim has served so far (all clients). */
  requests(): Promise<RequestCounts>;
  stop(): Promise<void>;
}

export interface SimProcessOptions {
  kubeletDelayMs: number;
  crdDir: string;
  /** Extra node flags for the sim process (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
}

const script = fileURLToPath(new URL('./sim-process.ts', import.meta.url));

/** Forks the sim; resolves once it listens. */
export async function startSimProcess(options: SimProcessOptions): Promise<SimHandle> {
  const child: ChildProcess = fork(script, [JSON.stringify({ kubeletDelayMs: options.kubeletDelayMs, crdDir: options.crdDir })], {
    execArgv: ['--import', 'tsx', ...(options.nodeArgs ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const waiting = new Map<number, (counts: RequestCounts) => void>();
  const ready = new Promise<{ url: string; kubeconfigPath: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sim process exited during start-up (code ${code})`)));
    child.on('message', (raw: unknown) => {
      const message = raw as SimReply;
      if (message.type === 'ready') resolve({ url: message.url, kubeconfigPath: message.kubeconfigPath });
      else if (message.type === 'stats') {
        waiting.get(message.id)?.({ total: message.requestCount, byVerb: message.byVerb });
        waiting.delete(message.id);
      }
    });
  });
  const { url, kubeconfigPath } = await ready;
  const send = (message: SimRequest): void => { child.send(message); };
  return {
    url, kubeconfigPath, pid: child.pid ?? 0,
    requests() {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        send({ type: 'stats', id });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
