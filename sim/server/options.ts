/** Query and body options of write requests: dryRun, DeleteOptions, PatchOptions. */
import { StatusError } from '#sim/types.ts';
import { failure } from '#sim/server/status.ts';
import type { DeleteOptions, PropagationPolicy } from '#sim/store/api.ts';

/** `dryRun=All` → true; absent → false; anything else → 422 on `<Op>Options.meta.k8s.io`. */
export function dryRun(params: URLSearchParams, optionsKind: string, fromBody: unknown = undefined): boolean {
  const values = [...params.getAll('dryRun'), ...(Array.isArray(fromBody) ? fromBody.map(String) : [])];
  if (values.length === 0) return false;
  const bad = values.filter((v) => v !== 'All');
  if (bad.length) {
    const list = `[]string{${values.map((v) => `"${v}"`).join(', ')}}`;
    const message = `Unsupported value: ${list}: supported values: "All"`;
    throw new StatusError(failure(422, 'Invalid', `${optionsKind}.meta.k8s.io "" is invalid: dryRun: ${message}`, {
      group: 'meta.k8s.io', kind: optionsKind, causes: [{ reason: 'FieldValueNotSupported', message, field: 'dryRun' }],
    }));
  }
  return true;
}

function policy(v: unknown): PropagationPolicy | undefined {
  return v === 'Background' || v === 'Foreground' || v === 'Orphan' ? v : undefined;
}

/** DeleteOptions from the query and the (optional) JSON body. */
export function deleteOptions(params: URLSearchParams, body: string): DeleteOptions {
  let parsed: Record<string, unknown> = {};
  if (body.trim()) {
    try {
      const v = JSON.parse(body) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) parsed = v as Record<string, unknown>;
    } catch {
      throw new StatusError(failure(400, 'BadRequest', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml'));
    }
  }
  const opts: DeleteOptions = { dryRun: dryRun(params, 'DeleteOptions', parsed.dryRun) };
  let pp = policy(params.get('propagationPolicy')) ?? policy(parsed.propagationPolicy);
  if (!pp) {
    const orphan = params.get('orphanDependents') ?? (typeof parsed.orphanDependents === 'boolean' ? String(parsed.orphanDependents) : null);
    if (orphan === 'true') pp = 'Orphan';
  }
  if (pp) opts.propagationPolicy = pp;
  const pre = parsed.preconditions;
  if (pre && typeof pre === 'object') {
    const p = pre as Record<string, unknown>;
    opts.preconditions = {
      uid: typeof p.uid === 'string' ? p.uid : undefined,
      resourceVersion: typeof p.resourceVersion === 'string' ? p.resourceVersion : undefined,
    };
  }
  return opts;
}
