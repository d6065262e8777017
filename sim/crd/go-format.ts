/**
 * Go's `fmt` renderings of JSON values, as the real kube-apiserver prints them in validation messages:
 * `%v` of float64, `%q` of strings and `%#v` of unstructured maps/slices (`map[string]interface {}{...}`).
 * Decoded JSON integers are int64 in Go and non-integers float64; a JS number is classified the same way.
 */
import { isPlainObject } from './schema.ts';

const NAMED_ESCAPES: Record<string, string> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\',
};

/** Go `strconv.Quote` (printable Unicode kept, control characters escaped). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const named = NAMED_ESCAPES[ch];
    const code = ch.codePointAt(0) ?? 0;
    if (named !== undefined) out += named;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && code < 0xa0) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go `%v` of a float64: shortest digits; `strconv` 'g' switches to `1e+06` form when exp < -4 or exp >= 6. */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  // strconv.FormatFloat(f, 'g', -1, 64): with the shortest precision the %e threshold is an exponent of 6.
  const [mant = '', e = '0'] = n.toExponential().split('e');
  const realExp = Number(e);
  if (realExp >= -4 && realExp < 6) return String(n);
  const sign = realExp < 0 ? '-' : '+';
  return `${mant}e${sign}${String(Math.abs(realExp)).padStart(2, '0')}`;
}

/** Go `%v` of a decoded JSON number (int64 for integers, float64 otherwise). */
export function goNumber(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63 ? BigInt(n).toString() : goFloat(n);
}

/** Go `%#v` of an unstructured JSON value. */
export function goSharpV(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map((x) => goSharpV(x)).join(', ')}}`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort();
    return `map[string]interface {}{${keys.map((k) => `${goQuote(k)}:${goSharpV(v[k])}`).join(', ')}}`;
  }
  return JSON.stringify(v) ?? '';
}

/** Go `%v` of an unstructured JSON value (what client-go's JSONPath printer writes for non-strings). */
export function goPlainV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goPlainV).join(' ')}]`;
  if (isPlainObject(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goPlainV(v[k])}`).join(' ')}]`;
  return JSON.stringify(v) ?? '';
}

/**
 * How `field.Error.ErrorBody` prints a bad value: numbers and booleans with `%v`, strings with `%q`, nil as `null`,
 * everything else with `%#v`.
 */
export function badValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return goQuote(v);
  return goSharpV(v);
}
