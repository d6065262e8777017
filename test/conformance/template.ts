/**
 * `{{stepN.PATH}}` templates: values from the actual results of earlier steps of the same case.
 */
import { isObject } from '#sim/patch/json-value.ts';
import { resolvePath } from './path.ts';
import type { CaseRequest, StepResult } from './types.ts';

const TEMPLATE = /\{\{step(\d+)\.([^}]+)\}\}/g;
const WHOLE = /^\{\{step(\d+)\.([^}]+)\}\}$/;

/** Raised when a template names a step not run yet or a path that is not in its result. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** The value of one template reference (steps are numbered from 1). */
export function lookup(results: StepResult[], step: number, path: string): unknown {
  const result = results[step - 1];
  if (result === undefined) throw new TemplateError(`{{step${step}.${path}}}: step ${step} has no result yet`);
  const value = resolvePath(result, path);
  if (value === undefined) throw new TemplateError(`{{step${step}.${path}}}: not found in the result of step ${step}`);
  return value;
}

/** True when the whole string is one template, i.e. a back-reference. */
export function isWholeTemplate(value: string): boolean {
  return WHOLE.test(value);
}

/** Substitute in one string: a whole-string template keeps the value's JSON type, otherwise `String(value)`. */
export function substituteString(value: string, results: StepResult[]): unknown {
  const whole = WHOLE.exec(value);
  if (whole) return lookup(results, Number(whole[1]), whole[2] ?? '');
  return value.replace(TEMPLATE, (_m, step: string, path: string) => String(lookup(results, Number(step), path)));
}

/** Substitute in every string of a JSON value. */
export function substituteValue(value: unknown, results: StepResult[]): unknown {
  if (typeof value === 'string') return substituteString(value, results);
  if (Array.isArray(value)) return value.map((item) => substituteValue(item, results));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteValue(v, results)]));
  }
  return value;
}

/** The request with its path, header values and body strings substituted. */
export function substituteRequest(request: CaseRequest, results: StepResult[]): CaseRequest {
  const headers = Object.fromEntries(
    Object.entries(request.headers ?? {}).map(([k, v]) => [k, String(substituteString(v, results))]),
  );
  const out: CaseRequest = { method: request.method, path: String(substituteString(request.path, results)), headers };
  if (request.body !== undefined) out.body = substituteValue(request.body, results);
  return out;
}
