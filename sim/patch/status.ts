/**
 * The exact `Status` errors the real kube-apiserver (v1.24) answers for patch requests, as recorded in
 * `shared/kube-conformance/cases/` (configmap-json-patch, patch-unsupported-content-type, ssa-*).
 */
import { StatusError } from '#sim/types.ts';
import type { Cause } from '#sim/types.ts';

/** A JSON patch whose `test` op fails or whose path does not exist: 422 with a fixed generic message. */
export function invalidPatch(): StatusError {
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: 'the server rejected our request due to an error in our request',
    reason: 'Invalid', details: {}, code: 422,
  });
}

/** PATCH with a content type that is no patch type (built-in resources). */
export function unsupportedMediaType(): StatusError {
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: '415: Unsupported Media Type', reason: 'UnsupportedMediaType', details: {}, code: 415,
  });
}

/** Strategic merge patch on a custom resource: 415 with the list of accepted types (and no `details`). */
export function strategicOnCustomResource(): StatusError {
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message:
      'the body of the request was in an unknown format - accepted media types include: ' +
      'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    reason: 'UnsupportedMediaType', code: 415,
  });
}

/** A patch body that does not decode (malformed JSON/YAML, wrong shape). */
export function badRequest(message: string): StatusError {
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400,
  });
}

/** An apply patch without `?fieldManager=`: 422 on PatchOptions (not 400). */
export function missingFieldManager(): StatusError {
  const cause: Cause = {
    reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager',
  };
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    reason: 'Invalid', details: { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [cause] }, code: 422,
  });
}

/** One server-side apply conflict: a field (`.data.key`) another manager owns with a different value. */
export interface ApplyConflict {
  /** As printed by the real server: `"alice"`, or `"kubectl" using v1 at 2024-01-01T00:00:00Z` for Update managers. */
  manager: string;
  /** structured-merge-diff path syntax: `.data.key`, `.spec.containers[name="app"].image`. */
  field: string;
}

/** 409 Conflict of a server-side apply, message and causes worded as structured-merge-diff does. */
export function applyConflict(conflicts: ApplyConflict[]): StatusError {
  const causes: Cause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict', message: `conflict with ${c.manager}`, field: c.field,
  }));
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: conflictMessage(conflicts), reason: 'Conflict', details: { causes }, code: 409,
  });
}

function conflictMessage(conflicts: ApplyConflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only) return `Apply failed with 1 conflict: conflict with ${only.manager}: ${only.field}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
  const lines: string[] = [];
  for (const manager of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${manager}:`, ...(byManager.get(manager) ?? []).map((f) => `- ${f}`));
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
