/**
 * The authorization checks a real API server makes while writing, beyond the request's own verb:
 * - server-side apply that creates the object also needs `create` (the patch handler authorizes it);
 * - writing a Role/ClusterRole/(Cluster)RoleBinding needs the granted permissions, `escalate` or `bind`
 *   (RBAC escalation prevention: what breaks an operator that creates Roles on a real cluster);
 * - optionally, OwnerReferencesPermissionEnforcement (off by default, as in kube-apiserver; on in OpenShift):
 *   setting ownerReferences needs `delete` on the object, and blockOwnerDeletion needs `update` on the owner's
 *   `finalizers` subresource.
 * They run as an admission wrapper around the sim's `Api`, for writes made by an HTTP request (see
 * `request-context.ts`); in-process writes are trusted.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { AdmissionContext } from '#sim/types.ts';
import { StatusError } from '#sim/types.ts';
import type { Api } from '#sim/store/api.ts';
import type { Admission } from '#sim/server/admission.ts';
import type { AuthorizationLog } from './audit.ts';
import { forbiddenStatus, isAllowed, normalizeAttributes } from './authorize.ts';
import type { RbacLister } from './authorize.ts';
import { checkEscalation } from './escalation.ts';
import { requestFor } from './request-context.ts';
import type { RequestContext } from './request-context.ts';
import type { RequestAttributes } from './rules.ts';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const RBAC_KINDS = new Set(['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings']);

/** Options of `installWriteChecks`. */
export interface WriteCheckOptions {
  lister: RbacLister;
  log?: AuthorizationLog | undefined;
  /** Enforce the OwnerReferencesPermissionEnforcement admission plugin (default false, as kube-apiserver). */
  ownerReferencesPermissionEnforcement?: boolean;
}

function ownerRefs(obj: KubeObject | undefined): Array<{ apiVersion?: unknown; kind?: unknown; name?: unknown; uid?: unknown; blockOwnerDeletion?: unknown }> {
  const refs = obj?.metadata.ownerReferences;
  return Array.isArray(refs) ? refs.filter((r) => typeof r === 'object' && r !== null) : [];
}

function refKey(r: { uid?: unknown; blockOwnerDeletion?: unknown }): string {
  return `${String(r.uid)}/${r.blockOwnerDeletion === true}`;
}

/** Installs the checks on `api` (wrapping its admission); returns a function that removes them. */
export function installWriteChecks(api: Api, options: WriteCheckOptions): () => void {
  const { lister, log } = options;
  const require = (req: RequestContext, raw: RequestAttributes, source: 'apply-create' | 'owner-reference'): void => {
    const attrs = normalizeAttributes(raw);
    const allowed = isAllowed(req.user, attrs, lister);
    const denied = allowed ? undefined : forbiddenStatus(req.user, attrs);
    log?.record(req.user, attrs, allowed, source, denied?.message);
    if (denied) throw new StatusError(denied);
  };

  const ownerChecks = (req: RequestContext, obj: KubeObject, ctx: AdmissionContext): void => {
    const before = new Set(ownerRefs(ctx.old).map(refKey));
    const after = ownerRefs(obj);
    if (after.length === 0 && before.size === 0) return;
    const changed = after.length !== before.size || after.some((r) => !before.has(refKey(r)));
    if (!changed) return;
    const { namespace, name } = obj.metadata;
    require(req, { verb: 'delete', group: ctx.resource.group, resource: ctx.resource.name, namespace, name }, 'owner-reference');
    for (const r of after) {
      if (r.blockOwnerDeletion !== true || before.has(refKey(r))) continue;
      const owner = api.registry.byApiVersionKind(String(r.apiVersion), String(r.kind));
      if (!owner) continue;
      require(req, {
        verb: 'update', group: owner.info.group, resource: owner.info.name, subresource: 'finalizers',
        namespace: owner.info.namespaced ? namespace : undefined, name: String(r.name),
      }, 'owner-reference');
    }
  };

  const check = (obj: KubeObject, ctx: AdmissionContext): void => {
    if (ctx.subresource !== '') return;
    const req = requestFor(ctx.resource.name, obj.metadata.namespace, obj.metadata.name);
    if (!req || req.attrs.group !== ctx.resource.group) return;
    if (req.user.groups.includes('system:masters')) return;
    if (ctx.operation === 'create' && req.attrs.verb === 'patch') {
      require(req, { ...req.attrs, verb: 'create' }, 'apply-create');
    }
    if (options.ownerReferencesPermissionEnforcement) ownerChecks(req, obj, ctx);
    if (ctx.resource.group === RBAC_GROUP && RBAC_KINDS.has(ctx.resource.name)) {
      let denied;
      try {
        denied = checkEscalation(req.user, obj, lister, (attrs, held) => log?.record(req.user, attrs, held, 'escalation'));
      } catch (err) {
        // A binding to a role that does not exist (yet): 404, also a refusal the requester must not see.
        if (err instanceof StatusError) log?.record(req.user, req.attrs, false, 'escalation', err.body.message);
        throw err;
      }
      if (denied) {
        log?.record(req.user, req.attrs, false, 'escalation', denied.message);
        throw new StatusError(denied);
      }
    }
  };

  const original: Admission = api.admission;
  // Everything else (release, checkCrd, toTable, …) is inherited from the original, whatever its shape.
  const wrapped = Object.create(original) as Admission;
  wrapped.admitBuiltin = (obj, ctx) => { check(obj, ctx); return original.admitBuiltin(obj, ctx); };
  wrapped.admitCustomResource = (crd, version, obj, ctx) => { check(obj, ctx); return original.admitCustomResource(crd, version, obj, ctx); };
  api.admission = wrapped;
  return () => { api.admission = original; };
}
