/** Child processes that must not outlive this process, even when it exits without a clean stop. */
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let hookInstalled = false;

/**
 * SIGKILLs `child` if this process exits while the child still runs (e.g. mocha's `exit: true`, or an uncaught
 * error): a clean stop is the caller's job; this only guarantees nothing is left behind. Returns a function that
 * forgets the child early (for a child that never spawned, which emits no `exit`).
 */
export function killOnExit(child: ChildProcess): () => void {
  if (!hookInstalled) {
    hookInstalled = true;
    process.on('exit', () => {
      for (const running of live) running.kill('SIGKILL');
    });
  }
  live.add(child);
  const forget = (): void => { live.delete(child); };
  child.once('exit', forget);
  return forget;
}
