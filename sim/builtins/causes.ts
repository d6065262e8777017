/**
 * Builders of `details.causes` entries with the real server's reasons and wording (k8s.io/apimachinery
 * `field.Error`). Only `field` and `reason` are compared by the conformance corpus; the messages follow Go's
 * formatting closely enough to be recognisable in logs.
 */
import type { Cause } from '#sim/types.ts';

/** Go-like `%#v` rendering of a value inside `Invalid value: ...` messages. */
export function goValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined || value === null) return 'null';
  if (isStringMap(value)) {
    const inner = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(', ');
    return `map[string]string{${inner}}`;
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`;
  }
  return JSON.stringify(value);
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && Object.values(value).every((v) => typeof v === 'string');
}

/** `field: Required value[: detail]`. */
export function required(field: string, detail?: string): Cause {
  return { field, reason: 'FieldValueRequired', message: detail ? `Required value: ${detail}` : 'Required value' };
}

/** `field: Invalid value: <value>: detail`. */
export function invalidValue(field: string, value: unknown, detail: string): Cause {
  return { field, reason: 'FieldValueInvalid', message: `Invalid value: ${goValue(value)}: ${detail}` };
}

/** `field: Unsupported value: <value>: supported values: "a", "b"`. */
export function notSupported(field: string, value: unknown, supported: readonly string[]): Cause {
  const list = supported.map((s) => JSON.stringify(s)).join(', ');
  return { field, reason: 'FieldValueNotSupported', message: `Unsupported value: ${goValue(value)}: supported values: ${list}` };
}

/** `field: Duplicate value: <value>`. */
export function duplicate(field: string, value: unknown): Cause {
  return { field, reason: 'FieldValueDuplicate', message: `Duplicate value: ${goValue(value)}` };
}

/** `field: Forbidden: detail`. */
export function forbidden(field: string, detail: string): Cause {
  return { field, reason: 'FieldValueForbidden', message: `Forbidden: ${detail}` };
}

/** `field: Too long: must have at most N bytes`. */
export function tooLong(field: string, max: number): Cause {
  return { field, reason: 'FieldValueTooLong', message: `Too long: must have at most ${max} bytes` };
}

/** `field: Invalid value: <value>: field is immutable`. */
export function immutable(field: string, value: unknown): Cause {
  return invalidValue(field, value, 'field is immutable');
}
