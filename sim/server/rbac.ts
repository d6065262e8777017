/**
 * Wires `sim/auth` (bearer tokens, RBAC) and the TokenRequest subresource of `sim/builtins` into the router hooks.
 * A request without credentials is the admin (the kubeconfig the sim writes has none).
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { StatusError } from '#sim/types.ts';
import { authenticate, authorize } from '#sim/auth/index.ts';
import type { RbacKind } from '#sim/auth/index.ts';
import { issueToken, parseTokenRequest } from '#sim/builtins/index.ts';
import type { Api } from '#sim/store/api.ts';
import type { Authorizer, SubresourceHandler } from '#sim/server/context.ts';
import { badRequest } from '#sim/server/status.ts';

const RBAC_KEYS: Record<RbacKind, string> = {
  Role: 'rbac.authorization.k8s.io/roles',
  RoleBinding: 'rbac.authorization.k8s.io/rolebindings',
  ClusterRole: 'rbac.authorization.k8s.io/clusterroles',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/clusterrolebindings',
};

/** Authenticates the bearer token (401 when invalid) and checks RBAC (403). */
export function rbacAuthorizer(api: Api): Authorizer {
  const objects = api.objects;
  const serviceAccountUid = (ns: string, name: string): string | undefined => objects.get('/serviceaccounts', ns, name)?.metadata.uid;
  const lister = (kind: RbacKind, namespace?: string): readonly KubeObject[] => {
    const namespaced = kind === 'Role' || kind === 'RoleBinding';
    return [...objects.list(RBAC_KEYS[kind], namespaced ? namespace ?? '' : '')];
  };
  return (req, attrs) => {
    try {
      const user = authenticate(req.headers, { serviceAccountUid });
      return authorize(user, {
        verb: attrs.verb, group: attrs.group, resource: attrs.resource, subresource: attrs.subresource,
        namespace: attrs.namespace, name: attrs.name, path: attrs.path,
      }, lister);
    } catch (err) {
      if (err instanceof StatusError) return err.body;
      throw err;
    }
  };
}

/** `POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token`: a TokenRequest (201). */
export function tokenRequestHandler(): SubresourceHandler {
  return ({ body, served, namespace, name, api }) => {
    const sa = api.get(served, namespace, name);
    let parsed: unknown = {};
    if (body.trim()) {
      try { parsed = JSON.parse(body); } catch { throw badRequest('the object provided is unrecognized (must be of type TokenRequest)'); }
    }
    const req = parseTokenRequest(parsed);
    const options: Parameters<typeof issueToken>[3] = {};
    if (req.audiences) options.audiences = req.audiences;
    if (req.boundObjectRef !== undefined) options.boundObjectRef = req.boundObjectRef;
    return { code: 201, body: issueToken(sa, namespace ?? '', req.expirationSeconds, options) };
  };
}
