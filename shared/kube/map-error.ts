/**
 * Turns an HTTP answer of the API server into the typed errors of `errors.ts`. The class decides retry: 4xx is
 * terminal (the same request fails the same way again), 429/5xx/no answer is retryable.
 */
import {
  AlreadyExistsError, ConflictError, ForbiddenError, InvalidError, KubeApiError, KubeUnavailableError, NotFoundError,
} from './errors.ts';
import type { ApiStatus } from './errors.ts';

/** Reads `Retry-After` (seconds) or `details.retryAfterSeconds` into milliseconds. */
export function retryAfterMsOf(retryAfterHeader: string | undefined, body: unknown): number | undefined {
  if (retryAfterHeader !== undefined && /^\d+$/.test(retryAfterHeader.trim())) return Number(retryAfterHeader) * 1000;
  const details = isRecord(body) && isRecord(body['details']) ? body['details'] : undefined;
  const seconds = details?.['retryAfterSeconds'];
  return typeof seconds === 'number' && seconds >= 0 ? seconds * 1000 : undefined;
}

/** The `Status` the server sent, or one made up from the HTTP code when the body was not a Status. */
export function apiStatusOf(code: number, body: unknown, fallbackMessage: string): ApiStatus {
  if (isRecord(body) && body['kind'] === 'Status') {
    const status: ApiStatus = {
      code: typeof body['code'] === 'number' ? body['code'] : code,
      reason: typeof body['reason'] === 'string' ? body['reason'] : '',
      message: typeof body['message'] === 'string' ? body['message'] : fallbackMessage,
    };
    if (isRecord(body['details'])) status.details = body['details'];
    return status;
  }
  return { code, reason: '', message: typeof body === 'string' && body ? body : fallbackMessage };
}

/** The typed error for a failed answer with HTTP `code`. */
export function errorForStatus(code: number, body: unknown, retryAfterHeader: string | undefined, what: string): Error {
  const status = apiStatusOf(code, body, `${what}: HTTP ${code}`);
  if (code === 429 || code >= 500) {
    return new KubeUnavailableError(`${what}: ${status.message}`, code, retryAfterMsOf(retryAfterHeader, body));
  }
  switch (code) {
    case 404: return new NotFoundError(status);
    case 409: return status.reason === 'AlreadyExists' ? new AlreadyExistsError(status) : new ConflictError(status);
    case 422: return new InvalidError(status);
    case 403: return new ForbiddenError(status);
    default: return new KubeApiError(status);
  }
}

/** A request that got no answer (refused, reset, timed out): always retryable. */
export function networkError(what: string, cause: unknown): KubeUnavailableError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new KubeUnavailableError(`${what}: ${message}`, undefined, undefined, { cause });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
