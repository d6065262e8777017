/**
 * Per render: check that each JSON text fits where its token was (what the token text could not show: quotes in a
 * quoted scalar, characters js-yaml refuses in a block, nesting depth, keys), then build the documents.
 */
import { tokensIn } from './placeholders.ts';
import type { KeyCheck, Skeleton } from './skeleton.ts';

/** js-yaml's test for characters a block scalar may not hold ("the stream contains non-printable characters"). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const nonPrintable = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

/** Nesting js-yaml accepts (maxDepth 100), with a margin: deeper values take the plain path, which decides. */
const maxLevel = 90;

/** Whether a JSON text put at nesting `level` stays within `maxLevel`: each level needs a `[` or `{`. */
function shallowEnough(text: string, level: number): boolean {
  const first = text.charCodeAt(0);
  if (first !== 91 && first !== 123) return true;
  const budget = maxLevel - level;
  if (text.length <= 2 * budget) return true;
  let opens = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 91 || c === 123) && ++opens > budget) return false;
  }
  return true;
}

/** A key as js-yaml stores it: a JSON string is the string, a number, boolean or null its source text. */
function keyOf(text: string): string {
  return text.charCodeAt(0) === 34 ? (JSON.parse(text) as string) : text;
}

function keysRepeat(checks: KeyCheck[], texts: readonly string[]): boolean {
  for (const { fixed, dynamic } of checks) {
    const seen = new Set(fixed);
    for (const { key, whole } of dynamic) {
      let filled = '';
      let from = 0;
      for (const token of tokensIn(key)) {
        const text = texts[token.index] ?? '';
        filled += key.slice(from, token.start) + (whole ? keyOf(text) : text);
        from = token.end;
      }
      filled += key.slice(from);
      if (seen.has(filled)) return true;
      seen.add(filled);
    }
  }
  return false;
}

/**
 * The documents of a render: the skeleton built with its JSON texts. Undefined when one of the texts does not fit
 * where its token was (a quote inside a quoted scalar, a non-printable character in a block, a collection as a key,
 * a repeated key, too deep): the caller then renders the plain way, which decides.
 */
export function fillSkeleton(skeleton: Skeleton, texts: readonly string[]): unknown[] | undefined {
  for (const { index, kind, level } of skeleton.holes) {
    const text = texts[index]!;
    switch (kind) {
      case 'value':
        if (!shallowEnough(text, level)) return undefined;
        break;
      case 'key': {
        const first = text.charCodeAt(0);
        if (first === 91 || first === 123) return undefined;
        break;
      }
      case 'double':
        if (text.includes('"') || text.includes('\\')) return undefined;
        break;
      case 'single':
        if (text.includes("'")) return undefined;
        break;
      case 'block':
        if (nonPrintable.test(text)) return undefined;
        break;
    }
  }
  if (skeleton.keyChecks.length > 0 && keysRepeat(skeleton.keyChecks, texts)) return undefined;
  return skeleton.build(texts, JSON.parse, keyOf);
}
