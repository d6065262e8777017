/**
 * The ServiceAccount `token` subresource (TokenRequest, authentication.k8s.io/v1): validates the request and mints a
 * token with the sim's authority; the answer has the recorded 201 shape.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { StatusError } from '#sim/types.ts';
import type { Cause } from '#sim/types.ts';
import { defaultTokenAuthority, tokenIssuer } from '#sim/auth/tokens.ts';
import type { TokenAuthority } from '#sim/auth/tokens.ts';
import { invalidValue } from './causes.ts';
import { isObject } from './json.ts';

/** Options of `issueToken`. */
export interface IssueTokenOptions {
  authority?: TokenAuthority;
  audiences?: string[];
  /** `spec.boundObjectRef` of the request, echoed back (null when absent, as recorded). */
  boundObjectRef?: unknown;
}

/** Reads `spec.expirationSeconds` and `spec.audiences` from a TokenRequest body (anything else is ignored). */
export function parseTokenRequest(body: unknown): { expirationSeconds?: number; audiences?: string[]; boundObjectRef?: unknown } {
  const spec = isObject(body) && isObject(body.spec) ? body.spec : {};
  const out: { expirationSeconds?: number; audiences?: string[]; boundObjectRef?: unknown } = {};
  if (typeof spec.expirationSeconds === 'number') out.expirationSeconds = spec.expirationSeconds;
  if (Array.isArray(spec.audiences)) out.audiences = spec.audiences.filter((a): a is string => typeof a === 'string');
  if (spec.boundObjectRef !== undefined) out.boundObjectRef = spec.boundObjectRef;
  return out;
}

function tokenInvalid(name: string, causes: Cause[]): StatusError {
  const text = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Invalid', code: 422,
    message: `TokenRequest.authentication.k8s.io "${name}" is invalid: ${text}`,
    details: { name, group: 'authentication.k8s.io', kind: 'TokenRequest', causes },
  });
}

/**
 * Answers `POST .../serviceaccounts/<name>/token` for the stored ServiceAccount `sa` (the caller has answered 404
 * when it does not exist). `expirationSeconds` defaults to 3600; less than 600 is 422 as on the real server.
 */
export function issueToken(sa: KubeObject, namespace: string, expirationSeconds?: number, options: IssueTokenOptions = {}): KubeObject {
  const name = sa.metadata.name ?? '';
  const seconds = expirationSeconds ?? 3600;
  if (!Number.isInteger(seconds) || seconds < 600) {
    throw tokenInvalid(name, [invalidValue('spec.expirationSeconds', seconds, 'may not specify a duration less than 10 minutes')]);
  }
  if (seconds > 2 ** 32) {
    throw tokenInvalid(name, [invalidValue('spec.expirationSeconds', seconds, 'may not specify a duration larger than 2^32 seconds')]);
  }
  const audiences = options.audiences && options.audiences.length > 0 ? options.audiences : [tokenIssuer];
  const authority = options.authority ?? defaultTokenAuthority;
  const { token, expiresAt } = authority.mint(namespace, name, { uid: sa.metadata.uid, expirationSeconds: seconds, audiences });
  // Go writes a zero creationTimestamp as null.
  const metadata: Record<string, unknown> = { creationTimestamp: null };
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata,
    spec: { audiences, expirationSeconds: seconds, boundObjectRef: options.boundObjectRef ?? null },
    status: { token, expirationTimestamp: expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z') },
  };
}
