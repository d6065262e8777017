/** The real `kubectl` against one API server (the sim), with a private discovery cache, for tests. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';

export interface KubectlRun { code: number; stdout: string; stderr: string }

export interface Kubectl {
  /** Runs kubectl with `input` on stdin; never throws on a non-zero exit. */
  run(args: string[], input?: string): Promise<KubectlRun>;
  /** Runs kubectl, asserts it exits 0 (the message names the command and its stderr) and returns its stdout. */
  ok(args: string[], input?: string): Promise<string>;
  /** Removes the discovery cache. */
  close(): void;
}

/** A kubectl bound to `kubeconfigPath` (a `KUBECONFIG` in the environment is ignored); `close` it in an `after` hook. */
export function kubectlFor(kubeconfigPath: string): Kubectl {
  const cacheDir = mkdtempSync(join(tmpdir(), 'nimbus-kubectl-cache-'));
  const run = (args: string[], input?: string): Promise<KubectlRun> => new Promise((resolve) => {
    const child = execFile('kubectl', ['--kubeconfig', kubeconfigPath, '--cache-dir', cacheDir, ...args],
      { timeout: 60_000, env: { ...process.env, KUBECONFIG: '' } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
    if (input !== undefined) child.stdin?.end(input);
  });
  return {
    run,
    async ok(args, input) {
      const result = await run(args, input);
      expect(result.code, `kubectl ${args.join(' ')}: ${result.stderr}`).to.equal(0);
      return result.stdout;
    },
    close: () => rmSync(cacheDir, { recursive: true, force: true }),
  };
}
