/**
 * The `poll.until` grammar: `COND ('&&' COND)*`, `COND := PATH ('==' | '!=') LITERAL`.
 */
import { resolvePath } from './path.ts';
import type { StepResult } from './types.ts';

/** Parse a LITERAL: number, "quoted string", true, false, null, or a bare word (a string). */
export function parseLiteral(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('"')) return JSON.parse(t) as unknown;
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return t;
}

/** Equality of the grammar: missing equals null only; scalars by string form; objects and arrays equal nothing. */
export function literalEquals(actual: unknown, literal: unknown): boolean {
  if (actual === undefined || actual === null) return literal === null;
  if (literal === null) return false;
  if (typeof actual === 'object') return false;
  return scalarText(actual) === scalarText(literal);
}

function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** True when every condition holds on the result. */
export function holds(until: string, result: StepResult): boolean {
  return until.split('&&').every((cond) => {
    const m = /^\s*(.+?)\s*(==|!=)\s*(.+?)\s*$/.exec(cond);
    if (!m) throw new Error(`bad poll condition: ${cond}`);
    const equal = literalEquals(resolvePath(result, m[1] ?? ''), parseLiteral(m[3] ?? ''));
    return m[2] === '==' ? equal : !equal;
  });
}
