/**
 * Wires `sim/auth` into the router: the RBAC authorizer (bearer tokens, impersonation) and the privilege-escalation
 * check of RBAC writes. A request without credentials is the admin (the kubeconfig the sim writes has none).
 */
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '#shared/kube/types.ts';
import type { StatusBody } from '#sim/types.ts';
import { authenticate, checkEscalation, createRbacAuthorizer, impersonate, storeRbacLister } from '#sim/auth/index.ts';
import type { UserInfo } from '#sim/auth/index.ts';
import type { Api } from '#sim/store/api.ts';
import type { Authorizer } from '#sim/server/context.ts';
import { statusOfError } from '#sim/server/status.ts';

/** The authorizer of a sim: H4's `createRbacAuthorizer` (401 bad token, 403 RBAC denial, `kubectl --as`). */
export function rbacAuthorizer(api: Api): Authorizer {
  return createRbacAuthorizer(api);
}

/**
 * The escalation check of a Role/ClusterRole/(Cluster)RoleBinding write: the request's user (after impersonation)
 * may only grant what it holds, unless it has `escalate`/`bind` (a real server answers 403 the same way).
 */
export function rbacEscalation(api: Api): (req: IncomingMessage, obj: KubeObject) => StatusBody | undefined {
  const lister = storeRbacLister(api);
  const serviceAccountUid = (ns: string, name: string): string | undefined => api.objects.get('/serviceaccounts', ns, name)?.metadata.uid;
  return (req, obj) => {
    let user: UserInfo;
    try {
      user = impersonate(authenticate(req.headers, { serviceAccountUid }), req.headers, lister);
    } catch (err) {
      // The authorizer has already answered 401/403 for such a request unless a custom one let it through.
      const body = statusOfError(err);
      if (body) return body;
      throw err;
    }
    return checkEscalation(user, obj, lister);
  };
}
