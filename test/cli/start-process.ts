/**
 * `npm start`'s entry (cli/start.ts) as a separate process for tests: output collected, the kubeconfig path and the
 * nats-server pid parsed from what it prints, and a kill-everything fallback for `after` hooks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from '../helpers/wait-for.ts';
import { repoRoot } from './run-cli.ts';

export interface StartedProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** Parsed from `kubeconfig: <path>`. */
  kubeconfigPath(): Promise<string>;
  /** Parsed from `nats-server … (pid N)`. */
  natsPid(): Promise<number>;
  /** Parsed from `(logs: <dir>/operators.log)`. */
  stateDir(): Promise<string>;
  /** SIGKILL the process and its nats-server, if still alive (cleanup after a failed test). */
  kill(): void;
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function startEntry(args: string[]): StartedProcess {
  const env = { ...process.env };
  delete env['KUBECONFIG'];
  delete env['NATS_URL'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/start.ts', ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const parse = (pattern: RegExp, what: string): Promise<string> => waitFor(() => {
    if (child.exitCode !== null) throw new Error(`start exited early:\n${output}`);
    return pattern.exec(output)?.[1];
  }, { timeoutMs: 60_000, message: what });
  let natsPid: number | undefined;
  return {
    child, exited, output: () => output,
    kubeconfigPath: () => parse(/^kubeconfig: (\S+)$/m, 'the kubeconfig line'),
    natsPid: async () => (natsPid = Number(await parse(/nats-server \S+ \(pid (\d+)\)/, 'the nats-server line'))),
    stateDir: async () => (await parse(/\(logs: (\S+)\/operators\.log\)/, 'the logs line')),
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (natsPid !== undefined && alive(natsPid)) process.kill(natsPid, 'SIGKILL');
    },
  };
}
