/**
 * Authentication and RBAC authorization for the embedded API server.
 *
 * Wiring (router): `const user = authenticate(req.headers, { serviceAccountUid })` (throws a 401 StatusError), then
 * `const denied = authorize(user, { verb, group, resource, subresource, namespace, name, path }, lister)` and answer
 * `denied` (a 403 Status body) when it is defined. Tests mint a ServiceAccount token with `mintToken(ns, name)`.
 */
import type { TokenAuthority } from './tokens.ts';
import { defaultTokenAuthority } from './tokens.ts';

export { adminUser, authenticate, serviceAccountUser, unauthorized } from './authenticate.ts';
export type { AuthenticateOptions, RequestHeaders, UserInfo } from './authenticate.ts';
export { authorize, forbiddenStatus, isAllowed, normalizeAttributes } from './authorize.ts';
export type { RbacKind, RbacLister } from './authorize.ts';
export type { PolicyRule, RequestAttributes } from './rules.ts';
export { ruleAllows, rulesOf } from './rules.ts';
export { requestVerb } from './verbs.ts';
export { impersonate } from './impersonate.ts';
export { checkEscalation } from './escalation.ts';
export type { EscalationProbe } from './escalation.ts';
export { AuthorizationLog, describeDecision } from './audit.ts';
export type { AuthorizationDecision, DecisionSource } from './audit.ts';
export { installWriteChecks } from './write-checks.ts';
export type { WriteCheckOptions } from './write-checks.ts';
export { rbacEnforcement } from './enforce.ts';
export type { RbacEnforcement, RbacEnforcementOptions } from './enforce.ts';
export { createRbacAuthorizer, storeRbacLister } from './wiring.ts';
export type { RbacAuthorizerOptions } from './wiring.ts';
export { TokenAuthority, defaultTokenAuthority, tokenIssuer } from './tokens.ts';
export type { ServiceAccountClaims } from './tokens.ts';

/**
 * A bearer token for ServiceAccount `namespace/name` (for tests and tools: each operator runs with its own identity).
 * Pass the SA's uid when the sim checks uids (`serviceAccountUid`) so the token survives that check.
 */
export function mintToken(namespace: string, name: string, options: { uid?: string; expirationSeconds?: number; authority?: TokenAuthority } = {}): string {
  const authority = options.authority ?? defaultTokenAuthority;
  return authority.mint(namespace, name, { uid: options.uid, expirationSeconds: options.expirationSeconds ?? 24 * 3600 }).token;
}
