/**
 * What the real server does to a custom resource written to its main or /status endpoint before storing it:
 * drop non-nullable nulls, apply defaults, prune unknown fields (at decode), then validate the result against the
 * OpenAPI schema, the list-type invariants and the CEL rules of the version, in the real server's order.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { AdmissionContext, Cause } from '#sim/types.ts';
import { adoptSharingManagedFields, cloneSharingManagedFields } from '#sim/patch/json-value.ts';
import { crdVersions, isPlainObject, versionSchema } from './schema.ts';
import { pruneNonNullableNulls, pruneObject } from './prune.ts';
import { applyDefaults } from './defaults.ts';
import { validateSchema } from './validate.ts';
import { validateCel } from './cel.ts';
import { validateListTypes } from './listtype.ts';

function statusEnabled(crd: KubeObject, version: string): boolean {
  const v = crdVersions(crd).find((x) => x['name'] === version);
  const sub = v?.['subresources'];
  return isPlainObject(sub) && sub['status'] !== undefined;
}

/**
 * The object the real server validates. Status-ignoring itself belongs to the caller (the store), but
 * validation must see what the strategy's PrepareForCreate/PrepareForUpdate leave: on the main endpoint the old
 * status (none on create), on /status the old object carrying the new status.
 */
function validatedView(crd: KubeObject, version: string, obj: KubeObject, ctx: AdmissionContext): KubeObject {
  if (!statusEnabled(crd, version)) return obj;
  if (ctx.subresource === 'status') {
    if (!ctx.old) return obj;
    // A shallow view: validation only reads it.
    const view: KubeObject = { ...ctx.old };
    if ('status' in obj) view['status'] = obj['status'];
    else delete view['status'];
    return view;
  }
  const view: KubeObject = { ...obj };
  if (ctx.old && 'status' in ctx.old) view['status'] = ctx.old['status'];
  else delete view['status'];
  return view;
}

/**
 * Prunes, defaults and validates a custom resource of `crd` at `version`.
 * Returns the pruned and defaulted copy of `obj` and the validation causes ([] when valid); the caller answers
 * 422 with {@link invalidMessage} when causes are present. Generation and status-ignoring stay with the caller.
 */
export function admitCustomResource(
  crd: KubeObject,
  version: string,
  obj: KubeObject,
  ctx: AdmissionContext,
): { object: KubeObject; causes: Cause[] } {
  const schema = versionSchema(crd, version);
  const object = ctx.owned === true ? adoptSharingManagedFields(obj, ctx.old) : cloneSharingManagedFields(obj);
  if (!schema) return { object, causes: [] };
  pruneNonNullableNulls(object, schema);
  applyDefaults(object, schema);
  pruneObject(object, schema);
  const view = validatedView(crd, version, object, ctx);
  const causes = validateSchema(view, schema);
  causes.push(...validateListTypes(view, schema));
  const old = ctx.operation === 'update' ? ctx.old : undefined;
  causes.push(...validateCel(view, old, schema));
  return { object, causes };
}
