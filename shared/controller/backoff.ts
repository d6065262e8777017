/** Exponential backoff with jitter, shared by the work queue (per key) and the informer (reconnects). */

export interface BackoffOptions {
  /** Delay after the first failure. */
  initialMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 500, maxMs: 60_000 };

/**
 * The delay before attempt `failures + 1` (`failures` >= 1): `initialMs * 2^(failures-1)` capped at `maxMs`, then
 * "equal jitter" (half fixed, half random) so that many keys failing together do not retry together.
 */
export function backoffDelayMs(failures: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(failures - 1, 40));
  const base = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  return Math.round(base / 2 + random() * (base / 2));
}
