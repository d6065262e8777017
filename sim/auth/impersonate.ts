/**
 * Impersonation (`Impersonate-User`, `Impersonate-Group`, `Impersonate-Uid` headers; `kubectl --as`): the only way
 * kubectl can act as a ServiceAccount against the plain-HTTP sim, because clientcmd sends credentials (tokens) to
 * https servers only. The requester needs the `impersonate` verb (admins have it), as on the real server.
 */
import { StatusError } from '#sim/types.ts';
import type { RequestHeaders, UserInfo } from './authenticate.ts';
import { isAllowed } from './authorize.ts';
import type { RbacLister } from './authorize.ts';
import { forbiddenStatus } from './authorize.ts';
import type { RequestAttributes } from './rules.ts';

function values(headers: RequestHeaders, name: string): string[] {
  const v = headers[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter((x) => x !== '');
}

/** The user a request acts as: `user` itself, or the impersonated one when the headers ask and RBAC allows. */
export function impersonate(user: UserInfo, headers: RequestHeaders, list: RbacLister): UserInfo {
  const [name] = values(headers, 'impersonate-user');
  const groups = values(headers, 'impersonate-group');
  if (name === undefined) {
    if (groups.length > 0) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 500, reason: 'InternalError', message: 'Internal error occurred: requested [' + groups.map((g) => `{Group  ${g}  }`).join(' ') + '] without impersonating a user' });
    return user;
  }
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(name);
  const checks: RequestAttributes[] = [sa
    ? { verb: 'impersonate', group: '', resource: 'serviceaccounts', namespace: sa[1], name: sa[2] }
    : { verb: 'impersonate', group: '', resource: 'users', name }];
  for (const g of groups) checks.push({ verb: 'impersonate', group: '', resource: 'groups', name: g });
  for (const attrs of checks) {
    if (!isAllowed(user, attrs, list)) throw new StatusError(forbiddenStatus(user, attrs));
  }
  const impersonated: UserInfo = { username: name, groups: [...groups] };
  if (sa && groups.length === 0) impersonated.groups.push('system:serviceaccounts', `system:serviceaccounts:${sa[1] ?? ''}`);
  if (!impersonated.groups.includes('system:authenticated')) impersonated.groups.push('system:authenticated');
  const [uid] = values(headers, 'impersonate-uid');
  if (uid) impersonated.uid = uid;
  return impersonated;
}
