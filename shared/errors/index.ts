/**
 * The two error classes whose difference the controller acts on: retry with backoff, or stop and report.
 * Both carry `name` and `cause` (ES2022 error cause), so logs show the whole chain.
 */

/** Will fail the same way until the input changes: report as a condition + Event, do not retry in a loop. */
export class TerminalError extends Error {
  override name = 'TerminalError';
  /** Condition reason to show the user, e.g. `InvalidSpec`. */
  reasonCode: string | undefined;
  constructor(message: string, options?: ErrorOptions & { reason?: string }) {
    super(message, options);
    this.reasonCode = options?.reason;
  }
}

/** May succeed later: retried with per-key exponential backoff, or after `retryAfterMs` when known. */
export class RetryableError extends Error {
  override name = 'RetryableError';
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number, options?: ErrorOptions) {
    super(message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** True when an error should be retried: RetryableError, or anything unknown (a bug is retried, with backoff). */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof TerminalError);
}
