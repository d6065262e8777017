/**
 * The RBAC authorizer in the shape the HTTP layer plugs in (`Authorizer` of sim/server/context.ts): authenticates
 * the request's bearer token (and impersonation headers, `kubectl --as`), then evaluates the Roles and bindings stored in the sim.
 */
import type { IncomingMessage } from 'node:http';
import type { StatusBody } from '#sim/types.ts';
import { StatusError } from '#sim/types.ts';
import type { Api } from '#sim/store/api.ts';
import type { Authorizer } from '#sim/server/context.ts';
import { authenticate } from './authenticate.ts';
import type { UserInfo } from './authenticate.ts';
import { authorize, normalizeAttributes } from './authorize.ts';
import type { AuthorizationLog } from './audit.ts';
import { enterRequest } from './request-context.ts';
import { impersonate } from './impersonate.ts';
import type { RbacKind, RbacLister } from './authorize.ts';
import type { RequestAttributes } from './rules.ts';
import type { TokenAuthority } from './tokens.ts';

const RBAC_KEYS: Record<RbacKind, string> = {
  Role: 'rbac.authorization.k8s.io/roles',
  ClusterRole: 'rbac.authorization.k8s.io/clusterroles',
  RoleBinding: 'rbac.authorization.k8s.io/rolebindings',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/clusterrolebindings',
};

/** Options of `createRbacAuthorizer`. */
export interface RbacAuthorizerOptions {
  authority?: TokenAuthority;
  /** Reject tokens whose ServiceAccount no longer exists (as the real server does). Default true. */
  requireServiceAccount?: boolean;
  /** Extra always-valid bearer tokens (e.g. an admin token written into a kubeconfig). */
  staticTokens?: ReadonlyMap<string, UserInfo>;
  /** Records every decision (401s under the user name `unauthenticated`). */
  log?: AuthorizationLog;
}

/** Lists the RBAC objects stored in a sim. */
export function storeRbacLister(api: Api): RbacLister {
  return (kind, namespace) => {
    const key = RBAC_KEYS[kind];
    const scoped = kind === 'Role' || kind === 'RoleBinding' ? namespace : undefined;
    return Array.from(api.objects.list(key, scoped));
  };
}

/** An `Authorizer` for the sim's HTTP layer: 401 for a bad token, 403 when RBAC denies, undefined when allowed. */
export function createRbacAuthorizer(api: Api, options: RbacAuthorizerOptions = {}): Authorizer {
  const lister = storeRbacLister(api);
  const requireSa = options.requireServiceAccount ?? true;
  const authOptions = {
    ...(options.authority ? { authority: options.authority } : {}),
    ...(options.staticTokens ? { staticTokens: options.staticTokens } : {}),
    ...(requireSa ? { serviceAccountUid: (ns: string, name: string) => api.objects.get('/serviceaccounts', ns, name)?.metadata.uid } : {}),
  };
  return (req: IncomingMessage, attrs: RequestAttributes): StatusBody | undefined => {
    let user: UserInfo;
    try {
      user = impersonate(authenticate(req.headers, authOptions), req.headers, lister);
    } catch (err) {
      if (err instanceof StatusError) {
        options.log?.record({ username: 'unauthenticated', groups: [] }, attrs, false, 'request', err.body.message);
        return err.body;
      }
      throw err;
    }
    // The handler runs the request's write with this context current: its write-time checks (write-checks.ts) see the user.
    enterRequest(req, { user, attrs });
    const denied = authorize(user, attrs, lister);
    options.log?.record(user, normalizeAttributes(attrs), denied === undefined, 'request', denied?.message);
    return denied;
  };
}
