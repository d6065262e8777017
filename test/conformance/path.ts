/**
 * The PATH syntax of templates and poll conditions: `body.status.conditions[type=Ready].status`, `items[3]`,
 * `metadata.annotations["a.b/c"]`, `events.length`.
 */
import { isObject } from '#sim/patch/json-value.ts';

export type PathToken =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'select'; key: string; value: string };

/** Split a PATH into tokens. Dots inside brackets (`[name=a.b.c]`, `["a.b/c"]`) are part of the token. */
export function parsePath(path: string): PathToken[] {
  const tokens: PathToken[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i += 1;
    } else if (c === '[') {
      const quoted = path[i + 1] === '"';
      const end = quoted ? path.indexOf('"]', i + 2) + 1 : path.indexOf(']', i);
      if (end <= 0) throw new Error(`unclosed [ in path ${path}`);
      const inner = path.slice(i + 1, end);
      if (quoted) tokens.push({ kind: 'key', key: JSON.parse(inner) as string });
      else if (/^\d+$/.test(inner)) tokens.push({ kind: 'index', index: Number(inner) });
      else if (inner.includes('=')) {
        const eq = inner.indexOf('=');
        tokens.push({ kind: 'select', key: inner.slice(0, eq), value: inner.slice(eq + 1) });
      } else tokens.push({ kind: 'key', key: inner });
      i = end + 1;
    } else {
      let j = i;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j += 1;
      tokens.push({ kind: 'key', key: path.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

/** The value at `path` in `root`, or undefined when any step is missing. `.length` of an array is its length. */
export function resolvePath(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const token of parsePath(path)) {
    if (token.kind === 'index') {
      current = Array.isArray(current) ? (current as unknown[])[token.index] : undefined;
    } else if (token.kind === 'select') {
      current = Array.isArray(current)
        ? (current as unknown[]).find((item) => isObject(item) && item[token.key] !== undefined && String(item[token.key]) === token.value)
        : undefined;
    } else if (Array.isArray(current) && token.key === 'length') {
      current = current.length;
    } else {
      current = isObject(current) && Object.hasOwn(current, token.key) ? current[token.key] : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}
