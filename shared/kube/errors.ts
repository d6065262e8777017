/**
 * Typed Kubernetes API errors. The class decides retry: a TerminalError will fail the same way again until the input
 * changes; a RetryableError (429, 5xx, network) may succeed later, after `retryAfterMs` when the server said so.
 */
import { RetryableError, TerminalError } from '#shared/errors/index.ts';

/** The `Status` body the API server answered with, when it sent one. */
export interface ApiStatus {
  code: number;
  reason: string;
  message: string;
  details?: { name?: string; kind?: string; causes?: Array<{ field?: string; reason?: string; message?: string }> };
}

export class KubeApiError extends TerminalError {
  override name = 'KubeApiError';
  readonly status: ApiStatus;
  constructor(status: ApiStatus, options?: ErrorOptions) {
    super(status.message, options);
    this.status = status;
  }
  get code(): number { return this.status.code; }
  get reason(): string { return this.status.reason; }
}
export class NotFoundError extends KubeApiError { override name = 'NotFoundError'; }
export class ConflictError extends KubeApiError { override name = 'ConflictError'; }
export class AlreadyExistsError extends KubeApiError { override name = 'AlreadyExistsError'; }
export class InvalidError extends KubeApiError { override name = 'InvalidError'; }
export class ForbiddenError extends KubeApiError { override name = 'ForbiddenError'; }

/** 429, 5xx, or no answer at all. */
export class KubeUnavailableError extends RetryableError {
  override name = 'KubeUnavailableError';
  readonly code: number | undefined;
  constructor(message: string, code: number | undefined, retryAfterMs: number | undefined, options?: ErrorOptions) {
    super(message, retryAfterMs, options);
    this.code = code;
  }
}
