/**
 * A record of every authorization decision the sim made, per user: what least-privilege tests read to prove that an
 * identity was never refused (no 403 anywhere) and to list the permissions it was granted but never exercised.
 */
import type { UserInfo } from './authenticate.ts';
import type { RequestAttributes } from './rules.ts';

/** Why a permission was checked: a request's own verb, or a write-time check the real server also makes. */
export type DecisionSource =
  /** The request's verb on its resource (the authorizer's check). */
  | 'request'
  /** `create` for a server-side apply that creates the object (the real patch handler checks it too). */
  | 'apply-create'
  /** A permission the writer must hold to grant it in a Role or binding (RBAC escalation prevention). */
  | 'escalation'
  /** `update` on the owner's `finalizers` for an ownerReference with blockOwnerDeletion (OwnerReferencesPermissionEnforcement). */
  | 'owner-reference';

/** One authorization decision. */
export interface AuthorizationDecision {
  username: string;
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** The URL path for a non-resource request (`/version`); '' otherwise. */
  path: string;
  allowed: boolean;
  source: DecisionSource;
  /** The refusal message (403/404 body message) when not allowed. */
  message?: string;
  /** Milliseconds since the epoch. */
  atMs: number;
}

/** `verb group/resource[/subresource] ns/name` — how reports print a decision. */
export function describeDecision(d: AuthorizationDecision): string {
  const resource = d.resource ? `${d.group || 'core'}/${d.resource}${d.subresource ? `/${d.subresource}` : ''}` : d.path;
  const where = d.namespace ? `${d.namespace}/${d.name || '*'}` : d.name || '*';
  const why = d.message ? `: ${d.message}` : '';
  return `${d.username} ${d.allowed ? 'ALLOWED' : 'DENIED'} ${d.verb} ${resource} ${where} (${d.source})${why}`;
}

/** Collects decisions in memory; a sim shares one log across its authorizer and write-time checks. */
export class AuthorizationLog {
  private readonly entries: AuthorizationDecision[] = [];

  /** Records one decision. */
  record(user: UserInfo, attrs: RequestAttributes, allowed: boolean, source: DecisionSource, message?: string): void {
    const entry: AuthorizationDecision = {
      username: user.username, verb: attrs.verb, group: attrs.group, resource: attrs.resource,
      subresource: attrs.subresource ?? '', namespace: attrs.namespace ?? '', name: attrs.name ?? '', path: attrs.path ?? '',
      allowed, source, atMs: Date.now(),
    };
    if (message !== undefined) entry.message = message;
    this.entries.push(entry);
  }

  /** Every decision so far, oldest first (optionally only those of one user). */
  decisions(username?: string): AuthorizationDecision[] {
    return username === undefined ? [...this.entries] : this.entries.filter((d) => d.username === username);
  }

  /** The refused requests (optionally only those of users whose name starts with `usernamePrefix`). */
  denied(usernamePrefix = ''): AuthorizationDecision[] {
    return this.entries.filter((d) => !d.allowed && d.username.startsWith(usernamePrefix));
  }

  /** The allowed decisions of one user. */
  allowed(username: string): AuthorizationDecision[] {
    return this.entries.filter((d) => d.allowed && d.username === username);
  }

  /** Forgets everything recorded so far. */
  clear(): void {
    this.entries.length = 0;
  }
}
