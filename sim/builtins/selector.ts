/**
 * `metav1.LabelSelector` evaluation (matchLabels + matchExpressions) and validation, for workload selectors.
 */
import type { Cause } from '#sim/types.ts';
import { invalidValue, notSupported, required } from './causes.ts';
import { isObject, objects, stringMap } from './json.ts';

/** True when `labels` satisfy `selector`. An absent or empty selector matches everything. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!isObject(selector)) return true;
  for (const [k, v] of Object.entries(stringMap(selector.matchLabels) ?? {})) if (labels[k] !== v) return false;
  for (const expr of objects(selector.matchExpressions)) {
    const key = typeof expr.key === 'string' ? expr.key : '';
    const values = Array.isArray(expr.values) ? expr.values.filter((v): v is string => typeof v === 'string') : [];
    const has = key in labels;
    const value = labels[key];
    switch (expr.operator) {
      case 'In': if (!has || value === undefined || !values.includes(value)) return false; break;
      case 'NotIn': if (has && value !== undefined && values.includes(value)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** True when the selector has no requirement at all. */
export function selectorEmpty(selector: unknown): boolean {
  if (!isObject(selector)) return true;
  return Object.keys(stringMap(selector.matchLabels) ?? {}).length === 0 && objects(selector.matchExpressions).length === 0;
}

const operators = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** Validates a workload selector at `path` against the template labels (`spec.template.metadata.labels`). */
export function validateWorkloadSelector(selector: unknown, templateLabels: unknown, path: string, kindWord: string): Cause[] {
  if (selector === undefined || selector === null) return [required(`${path}.selector`)];
  const causes: Cause[] = [];
  objects(isObject(selector) ? selector.matchExpressions : undefined).forEach((e, i) => {
    if (typeof e.operator !== 'string' || !(operators as readonly string[]).includes(e.operator)) {
      causes.push(notSupported(`${path}.selector.matchExpressions[${i}].operator`, e.operator ?? '', operators));
    }
  });
  if (selectorEmpty(selector)) {
    causes.push(invalidValue(`${path}.selector`, selector, `empty selector is invalid for ${kindWord}`));
    return causes;
  }
  const labels = stringMap(templateLabels) ?? {};
  if (!selectorMatches(selector, labels)) {
    causes.push(invalidValue(`${path}.template.metadata.labels`, labels, '`selector` does not match template `labels`'));
  }
  return causes;
}
