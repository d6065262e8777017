/**
 * Field errors as `k8s.io/apimachinery/pkg/util/validation/field` words them, and the 422 message of
 * `apierrors.NewInvalid`.
 */
import type { Cause } from '#sim/types.ts';
import { badValue, goQuote } from './go-format.ts';

/** `field.Invalid(path, value, detail)` */
export function invalid(field: string, value: unknown, detail: string): Cause {
  return { field, reason: 'FieldValueInvalid', message: `Invalid value: ${badValue(value)}${detail ? `: ${detail}` : ''}` };
}

/** `field.Required(path, detail)` */
export function required(field: string, detail = ''): Cause {
  return { field, reason: 'FieldValueRequired', message: `Required value${detail ? `: ${detail}` : ''}` };
}

/** `field.Forbidden(path, detail)` */
export function forbidden(field: string, detail: string): Cause {
  return { field, reason: 'FieldValueForbidden', message: `Forbidden${detail ? `: ${detail}` : ''}` };
}

/** `field.NotSupported(path, value, validValues)` */
export function notSupported(field: string, value: unknown, validValues: string[]): Cause {
  const detail = validValues.length > 0 ? `: supported values: ${validValues.map(goQuote).join(', ')}` : '';
  return { field, reason: 'FieldValueNotSupported', message: `Unsupported value: ${badValue(value)}${detail}` };
}

/** `field.Duplicate(path, value)` */
export function duplicate(field: string, value: unknown): Cause {
  return { field, reason: 'FieldValueDuplicate', message: `Duplicate value: ${badValue(value)}` };
}

/**
 * The top-level message of a 422 Invalid: `<Kind>.<group> "<name>" is invalid: <errors>`, the errors as
 * `ErrorList.ToAggregate()` prints them (one: `field: message`; several, de-duplicated: `[a, b]`).
 */
export function invalidMessage(kind: string, group: string, name: string, causes: Cause[]): string {
  const qualified = group ? `${kind}.${group}` : kind;
  const seen = new Set<string>();
  const msgs: string[] = [];
  for (const c of causes) {
    const m = `${c.field}: ${c.message}`;
    if (!seen.has(m)) {
      seen.add(m);
      msgs.push(m);
    }
  }
  const agg = msgs.length === 1 ? (msgs[0] ?? '') : `[${msgs.join(', ')}]`;
  return `${qualified} ${goQuote(name)} is invalid: ${agg}`;
}
