/**
 * Builders of the `Status` bodies the real kube-apiserver answers with. Every error the sim raises goes through one
 * of these so that reason, code, message and details have the recorded shapes.
 */
import { StatusError } from '#sim/types.ts';
import type { Cause, StatusBody, ResourceInfo } from '#sim/types.ts';

type Details = NonNullable<StatusBody['details']>;

/** A Failure Status body. */
export function failure(code: number, reason: string, message: string, details?: Details): StatusBody {
  const body: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) body.details = details;
  return body;
}

/** `configmaps` or `customresourcedefinitions.apiextensions.k8s.io`: how messages name a resource. */
export function qualified(r: Pick<ResourceInfo, 'group' | 'name'>): string {
  return r.group ? `${r.name}.${r.group}` : r.name;
}

function resourceDetails(r: Pick<ResourceInfo, 'group' | 'name'>, name: string | undefined): Details {
  const d: Details = {};
  if (name !== undefined) d.name = name;
  if (r.group) d.group = r.group;
  d.kind = r.name;
  return d;
}

/** 404 `configmaps "x" not found`. */
export function notFound(r: Pick<ResourceInfo, 'group' | 'name'>, name: string): StatusError {
  return new StatusError(failure(404, 'NotFound', `${qualified(r)} "${name}" not found`, resourceDetails(r, name)));
}

/** 404 for a namespace that does not exist (create in a missing namespace). */
export function namespaceNotFound(ns: string): StatusError {
  return notFound({ group: '', name: 'namespaces' }, ns);
}

/** 409 AlreadyExists. */
export function alreadyExists(r: Pick<ResourceInfo, 'group' | 'name'>, name: string): StatusError {
  return new StatusError(failure(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, resourceDetails(r, name)));
}

/** 409 Conflict on a stale resourceVersion. */
export function conflict(r: Pick<ResourceInfo, 'group' | 'name'>, name: string): StatusError {
  return new StatusError(failure(409, 'Conflict',
    `Operation cannot be fulfilled on ${qualified(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    resourceDetails(r, name)));
}

/** 400 BadRequest without details. */
export function badRequest(message: string): StatusError {
  return new StatusError(failure(400, 'BadRequest', message));
}

/** 422 Invalid: `<Kind> "<name>" is invalid: <field>: <message>, ...`. `kindLabel` is `ConfigMap` or `Widget.group`. */
export function invalid(kindLabel: string, group: string, name: string, causes: Cause[]): StatusError {
  const text = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  const details: Details = {};
  if (name) details.name = name;
  if (group) details.group = group;
  details.kind = kindLabel.split('.')[0] ?? kindLabel;
  details.causes = causes;
  const msg = causes.length === 1 ? text : `[${text}]`;
  return new StatusError(failure(422, 'Invalid', `${kindLabel} "${name}" is invalid: ${msg}`, details));
}

/** 404 `the server could not find the requested resource`. */
export function resourceNotFound(): StatusError {
  return new StatusError(failure(404, 'NotFound', 'the server could not find the requested resource', {}));
}

/** 405 MethodNotAllowed. */
export function methodNotAllowed(): StatusError {
  return new StatusError(failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}));
}

/** 500 InternalError wrapping an unexpected exception. */
export function internal(err: unknown): StatusError {
  const msg = err instanceof Error ? err.message : String(err);
  return new StatusError(failure(500, 'InternalError', `Internal error occurred: ${msg}`, { causes: [{ field: '', reason: 'UnexpectedServerResponse', message: msg }] }));
}

/** 415 for a PATCH with a media type that is not a patch type. */
export function unsupportedMediaType(message = '415: Unsupported Media Type', withDetails = true): StatusError {
  return new StatusError(failure(415, 'UnsupportedMediaType', message, withDetails ? {} : undefined));
}

/** A Status body, recognised by its shape. */
export function isStatusBody(v: unknown): v is StatusBody {
  if (typeof v !== 'object' || v === null) return false;
  const b = v as { kind?: unknown; code?: unknown; status?: unknown };
  return b.kind === 'Status' && typeof b.code === 'number' && (b.status === 'Failure' || b.status === 'Success');
}

/**
 * The Status body of a thrown StatusError, or undefined for any other error. Recognised by class, and also by
 * `name === 'StatusError'` with a Status-shaped `body`: a module loaded twice (ESM and CJS paths of tsx) has two
 * StatusError classes, and `instanceof` alone would turn a real 422/409 into a 500.
 */
export function statusOfError(err: unknown): StatusBody | undefined {
  if (err instanceof StatusError) return err.body;
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { name?: unknown; body?: unknown };
  return e.name === 'StatusError' && isStatusBody(e.body) ? e.body : undefined;
}
