/**
 * The parse of a rendered text whose `{{json x}}` values are tokens (`placeholders.ts`), kept as generated code that
 * builds the documents with the JSON texts of a render in place of the tokens (`fill.ts` calls it): what js-yaml
 * would give for the real text, as fresh objects every time, without parsing YAML.
 *
 * Built only from what js-yaml's events say about each token (`parseEvents`: style and exact source range), so each
 * case is proven, not guessed; anything else gives no skeleton and the caller renders the plain way:
 * - a plain scalar that is exactly a token is a whole node: JSON is YAML, so the JSON text parses to its JSON value
 *   (as a mapping key, to its string);
 * - a token inside a literal or folded block, or a quoted scalar, is raw text there: the JSON text is spliced in,
 *   when the scalar's quoting allows (checked per render, by `fillSkeleton`).
 * A token inside a longer plain scalar (`a-{{json x}}`: YAML would re-type the result), tags, anchors, aliases,
 * tokens outside scalars (comments), and values JSON cannot carry (`.inf`, `-0`) have no skeleton.
 */
import { constructFromEvents, EVENT_ID, parseEvents, SCALAR_STYLE, type Event } from 'js-yaml';
import { tokenOf, tokensIn, type TokenAt } from './placeholders.ts';

/** How the JSON text of one token goes into the skeleton. */
export type HoleKind = 'value' | 'key' | 'double' | 'single' | 'block';

export interface Hole {
  /** The JSON text number. */
  index: number;
  kind: HoleKind;
  /** For `value`: the nesting level of the token node (js-yaml limits nesting depth to 100). */
  level: number;
}

/** A mapping with keys made from tokens: the filled keys must not repeat (js-yaml: "duplicated mapping key"). */
export interface KeyCheck {
  fixed: ReadonlySet<string>;
  /** Each key as decoded with tokens in it; `whole` when it is one plain token (filled by `keyOf`). */
  dynamic: { key: string; whole: boolean }[];
}

/** Builds a render's documents from its JSON texts: `parse` is JSON.parse, `key` turns a JSON text into a key. */
export type Build = (texts: readonly string[], parse: (text: string) => unknown, key: (text: string) => string) => unknown[];

export interface Skeleton {
  /** Generated code: the documents as object literals, the JSON texts parsed in place (see `Writer`). */
  build: Build;
  holes: Hole[];
  keyChecks: KeyCheck[];
}

type Style = 'whole' | 'double' | 'single' | 'block';

class NoSkeleton extends Error {
  override name = 'NoSkeleton';
}

/** Style and nesting level of each token's scalar, from js-yaml's events. */
function tokenStyles(events: Event[], tokens: TokenAt[]): Map<number, { style: Style; level: number }> {
  const styles = new Map<number, { style: Style; level: number }>();
  // js-yaml counts a level per node: a scalar's level is 1 + the collections open around it.
  const open: boolean[] = [];
  let level = 1;
  let next = 0;
  for (const event of events) {
    if (event.type === EVENT_ID.ALIAS) throw new NoSkeleton('alias');
    if (event.type === EVENT_ID.DOCUMENT && event.directives.length > 0) throw new NoSkeleton('directives');
    if (event.type === EVENT_ID.SEQUENCE || event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SCALAR) {
      if (event.tagStart !== -1 || event.anchorStart !== -1) throw new NoSkeleton('tag or anchor');
    }
    if (event.type === EVENT_ID.DOCUMENT) open.push(false);
    else if (event.type === EVENT_ID.SEQUENCE || event.type === EVENT_ID.MAPPING) {
      open.push(true);
      level++;
    } else if (event.type === EVENT_ID.POP && open.pop() === true) level--;
    if (event.type !== EVENT_ID.SCALAR || event.valueStart === -1) continue;
    // Scalars come in text order; tokens before this one were not in any scalar.
    const first = next;
    while (next < tokens.length && tokens[next]!.start < event.valueEnd) {
      if (tokens[next]!.start < event.valueStart) throw new NoSkeleton('token outside a scalar');
      if (tokens[next]!.end > event.valueEnd) throw new NoSkeleton('token across a scalar end');
      next++;
    }
    const inside = tokens.slice(first, next);
    if (inside.length === 0) continue;
    let style: Style;
    if (event.style === SCALAR_STYLE.PLAIN) {
      const exact = inside.length === 1 && inside[0]!.start === event.valueStart && inside[0]!.end === event.valueEnd;
      if (!exact) throw new NoSkeleton('token inside a longer plain scalar');
      style = 'whole';
    } else if (event.style === SCALAR_STYLE.DOUBLE_QUOTED) style = 'double';
    else if (event.style === SCALAR_STYLE.SINGLE_QUOTED) style = 'single';
    else style = 'block';
    for (const token of inside) styles.set(token.index, { style, level });
  }
  if (next !== tokens.length || styles.size !== tokens.length) throw new NoSkeleton('token outside a scalar');
  return styles;
}

/**
 * Writes the documents as one JavaScript expression of object and array literals, holes being `p(t[i])` (a JSON
 * text parsed) or `t[i]` spliced into a string: V8 builds literals several times faster than JSON.parse reads the
 * same JSON. Only JSON.stringify output and fixed names go into the code, so no data can inject code.
 */
class Writer {
  code = '';
  holes: Hole[] = [];
  keyChecks: KeyCheck[] = [];
  used = new Set<number>();
  private readonly styles: Map<number, { style: Style; level: number }>;

  constructor(styles: Map<number, { style: Style; level: number }>) {
    this.styles = styles;
  }

  hole(index: number, kind: HoleKind, level: number): void {
    if (this.used.has(index)) throw new NoSkeleton('token decoded twice');
    this.used.add(index);
    this.holes.push({ index, kind, level });
  }

  /** A string value or key: a literal, a whole-token hole, or a concatenation around spliced texts. */
  string(value: string, asKey: boolean): void {
    const tokens = tokensIn(value);
    if (tokens.length === 0) {
      this.code += asKey && value === '__proto__' ? '["__proto__"]' : JSON.stringify(value);
      return;
    }
    const only = tokens[0]!;
    const style = this.styles.get(only.index);
    if (tokens.length === 1 && style?.style === 'whole') {
      if (value !== tokenOf(only.index)) throw new NoSkeleton('whole token with more text');
      this.hole(only.index, asKey ? 'key' : 'value', style.level);
      this.code += asKey ? `[k(t[${only.index}])]` : `p(t[${only.index}])`;
      return;
    }
    let expression = '';
    let from = 0;
    for (const token of tokens) {
      const kind = this.styles.get(token.index)?.style;
      if (kind === undefined || kind === 'whole') throw new NoSkeleton('token of unknown style');
      this.hole(token.index, kind, 0);
      expression += `${JSON.stringify(value.slice(from, token.start))}+t[${token.index}]+`;
      from = token.end;
    }
    expression += JSON.stringify(value.slice(from));
    // A computed key defines an own property, even `__proto__`, as js-yaml does.
    this.code += asKey ? `[${expression}]` : `(${expression})`;
  }

  value(value: unknown): void {
    if (value === null || typeof value === 'boolean') this.code += String(value);
    else if (typeof value === 'number') {
      if (!Number.isFinite(value) || Object.is(value, -0)) throw new NoSkeleton('number JSON cannot carry');
      this.code += JSON.stringify(value);
    } else if (typeof value === 'string') this.string(value, false);
    else if (Array.isArray(value)) {
      this.code += '[';
      value.forEach((item: unknown, i) => {
        if (i > 0) this.code += ',';
        this.value(item);
      });
      this.code += ']';
    } else if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      this.mapping(value as Record<string, unknown>);
    } else throw new NoSkeleton('value JSON cannot carry');
  }

  mapping(object: Record<string, unknown>): void {
    const keys = Object.keys(object);
    const dynamic = keys.filter((key) => tokensIn(key).length > 0);
    if (dynamic.length > 0) {
      this.keyChecks.push({
        fixed: new Set(keys.filter((k) => !dynamic.includes(k))),
        dynamic: dynamic.map((key) => ({ key, whole: this.styles.get(tokensIn(key)[0]!.index)?.style === 'whole' })),
      });
    }
    this.code += '{';
    keys.forEach((key, i) => {
      if (i > 0) this.code += ',';
      this.string(key, true);
      this.code += ':';
      this.value(object[key]);
    });
    this.code += '}';
  }
}

/**
 * The skeleton of `text` (tokens located by `locateTokens`), or undefined when the text cannot stand for the
 * real one (including any YAML error: the plain path then reports the real error, with the real text).
 */
export function buildSkeleton(text: string, tokens: TokenAt[], filename: string): Skeleton | undefined {
  try {
    const events = parseEvents(text, { filename });
    const styles = tokenStyles(events, tokens);
    const docs = constructFromEvents(events, { filename, source: text });
    const writer = new Writer(styles);
    // An empty document may come out as undefined: null in JSON, dropped by the caller either way.
    writer.value(docs.map((doc) => doc ?? null));
    if (writer.used.size !== tokens.length) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from JSON literals only (see Writer)
    const build = new Function('t', 'p', 'k', `"use strict"; return ${writer.code};`) as Build;
    return { build, holes: writer.holes, keyChecks: writer.keyChecks };
  } catch {
    return undefined;
  }
}
