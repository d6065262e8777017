/**
 * Placeholder tokens for `{{json x}}`: while a template renders, each JSON text is kept aside and the rendered YAML
 * holds a token instead (`jsonph<nonce>_<n>_`, a plain YAML string). Tokens are numbered per render, so two renders
 * that differ only in their JSON values give the same text, whose parse can then be memoised (`skeleton.ts`).
 */
import { randomBytes } from 'node:crypto';
import type { JsonCapture } from './helpers.ts';

/** Per process: a random part makes a token impossible to meet in data by accident (and `locateTokens` checks). */
export const tokenPrefix = `jsonph${randomBytes(6).toString('hex')}_`;

/** The token of JSON text number `index` (letters, digits and `_`: a plain scalar anywhere YAML allows one). */
export function tokenOf(index: number): string {
  return `${tokenPrefix}${index}_`;
}

/** The JSON texts of one render, in helper call order. */
export class JsonTexts implements JsonCapture {
  readonly texts: string[] = [];
  add(text: string): string {
    this.texts.push(text);
    return tokenOf(this.texts.length - 1);
  }
}

/** One token in a rendered text. */
export interface TokenAt {
  index: number;
  /** Offset of the token's first character. */
  start: number;
  /** Offset just past the token. */
  end: number;
}

/**
 * Every token in `text`, in text order, or undefined unless each of the `count` tokens appears exactly once and
 * nothing else looks like one: a token consumed by another helper (`{{b64 (json x)}}`, `(eq (json x) …)`), or the
 * prefix in data, means the text cannot stand for the real one and the caller renders the plain way.
 */
export function locateTokens(text: string, count: number): TokenAt[] | undefined {
  const found: TokenAt[] = [];
  const seen = new Uint8Array(count);
  let from = text.indexOf(tokenPrefix);
  while (from >= 0) {
    let at = from + tokenPrefix.length;
    let index = 0;
    const digitsStart = at;
    for (let c = text.charCodeAt(at); c >= 48 && c <= 57; c = text.charCodeAt(++at)) index = index * 10 + (c - 48);
    if (at === digitsStart || text.charCodeAt(at) !== 95 || index >= count || seen[index] === 1) return undefined;
    seen[index] = 1;
    found.push({ index, start: from, end: at + 1 });
    from = text.indexOf(tokenPrefix, at + 1);
  }
  return found.length === count ? found : undefined;
}

const tokenPattern = new RegExp(`${tokenPrefix}(\\d+)_`, 'g');

/** The tokens in a string value, with their JSON text number (a value decoded from YAML may hold several). */
export function tokensIn(value: string): TokenAt[] {
  if (!value.includes(tokenPrefix)) return [];
  const found: TokenAt[] = [];
  for (const match of value.matchAll(tokenPattern)) {
    found.push({ index: Number(match[1]), start: match.index, end: match.index + match[0].length });
  }
  return found;
}
