/**
 * Poll a condition with a deadline: the only acceptable way for a test to wait for something to happen.
 * A sleep that "should be long enough" is either flaky or slow; this is neither.
 */

export interface WaitForOptions {
  /** Give up after this long (default 10 000 ms). */
  timeoutMs?: number;
  /** Pause between probes (default 50 ms). */
  intervalMs?: number;
  /** Included in the timeout error, to say what was awaited. */
  message?: string;
  /** Stop polling early: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Raised when the deadline passes; carries the last probe error as `cause`, if the probe threw. */
export class WaitForTimeoutError extends Error {
  override name = 'WaitForTimeoutError';
}

/**
 * Call `probe` until it returns something other than `undefined` or `false`, and resolve with that value.
 * A probe that throws counts as "not yet"; its last error is reported as the cause when the deadline passes.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const what = options.message ?? 'condition';
      throw new WaitForTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}
