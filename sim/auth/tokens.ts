/**
 * ServiceAccount tokens: JWTs signed with HMAC-SHA256 by a per-sim key, carrying the same claims as the real
 * bound tokens (`sub`, `exp`, `kubernetes.io.namespace`, `kubernetes.io.serviceaccount`). Stateless: verifying a token
 * needs only the key, so a token stays valid across restarts of the HTTP layer of one authority.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The identity a verified ServiceAccount token carries. */
export interface ServiceAccountClaims {
  namespace: string;
  name: string;
  /** The ServiceAccount's uid when it was known at minting. */
  uid?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** The issuer written into tokens (the real default of an in-cluster issuer). */
export const tokenIssuer = 'https://kubernetes.default.svc.cluster.local';

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Mints and verifies ServiceAccount tokens with one secret key. */
export class TokenAuthority {
  private readonly key: Buffer;

  constructor(key: Buffer = randomBytes(32)) {
    this.key = key;
  }

  /** A token for `system:serviceaccount:<namespace>:<name>`, valid `expirationSeconds` from now. */
  mint(namespace: string, name: string, options: { uid?: string | undefined; expirationSeconds?: number; audiences?: string[] } = {}): { token: string; expiresAt: Date } {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (options.expirationSeconds ?? 3600);
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const serviceaccount: Record<string, string> = { name };
    if (options.uid) serviceaccount.uid = options.uid;
    const payload = b64url(JSON.stringify({
      aud: options.audiences ?? [tokenIssuer], exp, iat: now, nbf: now, iss: tokenIssuer,
      sub: `system:serviceaccount:${namespace}:${name}`,
      'kubernetes.io': { namespace, serviceaccount },
    }));
    const signature = this.sign(`${header}.${payload}`);
    return { token: `${header}.${payload}.${signature}`, expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a valid, unexpired token of this authority; undefined otherwise. */
  verify(token: string): ServiceAccountClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    return readClaims(claims);
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

function readClaims(claims: unknown): ServiceAccountClaims | undefined {
  if (typeof claims !== 'object' || claims === null) return undefined;
  const c = claims as { exp?: unknown; 'kubernetes.io'?: { namespace?: unknown; serviceaccount?: { name?: unknown; uid?: unknown } } };
  const k = c['kubernetes.io'];
  if (typeof c.exp !== 'number' || c.exp * 1000 <= Date.now()) return undefined;
  if (typeof k?.namespace !== 'string' || typeof k.serviceaccount?.name !== 'string') return undefined;
  const out: ServiceAccountClaims = { namespace: k.namespace, name: k.serviceaccount.name, exp: c.exp };
  if (typeof k.serviceaccount.uid === 'string') out.uid = k.serviceaccount.uid;
  return out;
}

/** The authority of this process, used when a sim does not create its own. */
export const defaultTokenAuthority = new TokenAuthority();
