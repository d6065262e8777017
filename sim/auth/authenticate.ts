/**
 * Request authentication: a Bearer ServiceAccount token (or a static token) names the user; no Authorization header
 * at all is the sim's own admin (its kubeconfig carries no credentials); anything else is 401 Unauthorized.
 */
import { StatusError } from '#sim/types.ts';
import type { TokenAuthority } from './tokens.ts';
import { defaultTokenAuthority } from './tokens.ts';

/** Who is asking (as the real `user.Info`). */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
}

/** The user of requests without credentials: a cluster admin (`system:masters`). */
export const adminUser: UserInfo = { username: 'admin', groups: ['system:masters', 'system:authenticated'] };

/** Request headers as node:http gives them (lower-case names). */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/** Options of `authenticate`. */
export interface AuthenticateOptions {
  /** The authority that minted the tokens (default: the process-wide one). */
  authority?: TokenAuthority;
  /**
   * Looks up a ServiceAccount's uid; when given, a token whose ServiceAccount is gone (or was re-created with another
   * uid) is rejected, like the real bound-token authenticator does.
   */
  serviceAccountUid?: (namespace: string, name: string) => string | undefined;
  /** Extra tokens that are always valid (e.g. a fixed admin token for a kubeconfig). */
  staticTokens?: ReadonlyMap<string, UserInfo>;
}

/** The UserInfo of a ServiceAccount. */
export function serviceAccountUser(namespace: string, name: string, uid?: string): UserInfo {
  const user: UserInfo = {
    username: `system:serviceaccount:${namespace}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
  };
  if (uid) user.uid = uid;
  return user;
}

/** The 401 Status the real server answers for a bad token. */
export function unauthorized(): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
}

/** Resolves the user of a request; throws the 401 StatusError for a token that is not valid. */
export function authenticate(headers: RequestHeaders, options: AuthenticateOptions = {}): UserInfo {
  const raw = headers.authorization ?? headers.Authorization;
  const header = Array.isArray(raw) ? raw[0] : raw;
  if (header === undefined || header.trim() === '') return adminUser;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw unauthorized();
  const token = match[1];
  const fixed = options.staticTokens?.get(token);
  if (fixed) return fixed;
  const claims = (options.authority ?? defaultTokenAuthority).verify(token);
  if (!claims) throw unauthorized();
  if (options.serviceAccountUid) {
    const uid = options.serviceAccountUid(claims.namespace, claims.name);
    if (uid === undefined || (claims.uid !== undefined && claims.uid !== uid)) throw unauthorized();
  }
  return serviceAccountUser(claims.namespace, claims.name, claims.uid);
}
