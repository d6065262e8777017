/**
 * A broadcast wake-up: background loops wait on it with a timeout, and connectivity changes (reconnect, mode
 * change, close) wake them all at once instead of leaving them in a long backoff sleep.
 */
export class Signal {
  #waiters = new Set<() => void>();

  /** Resolve after `ms`, or earlier when `notify` is called. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waiters.add(done);
    });
  }

  /** Wake every waiter now. */
  notify(): void {
    for (const done of [...this.#waiters]) done();
  }
}

/** Exponential backoff with full jitter on the upper half: attempt 1 ≈ baseMs, doubling up to maxMs. */
export function backoffMs(attempt: number, baseMs = 200, maxMs = 10_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
