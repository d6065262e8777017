/**
 * The Handlebars helpers templates may use. YAML is a superset of JSON, so `{{json x}}` is the one safe way to put
 * any value (a string with colons, quotes or newlines, a number, a list, an object) into a YAML document.
 *
 * Handlebars' strict mode does not check helper arguments, so the value helpers check them: an undefined argument
 * throws a MissingValue that the renderer turns into a RenderError naming the template, line and expression.
 */
import type { HelperDelegate } from 'handlebars';

export interface SourceLocation {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

/** Thrown by a helper given an undefined value; `loc` points at the `{{…}}` in the template. */
export class MissingValue extends Error {
  override name = 'MissingValue';
  readonly helper: string;
  readonly loc: SourceLocation | undefined;
  constructor(helper: string, loc: SourceLocation | undefined) {
    super(`${helper}: value is undefined`);
    this.helper = helper;
    this.loc = loc;
  }
}

/** Split Handlebars' call arguments into the template's parameters and the trailing options object. */
function call(args: unknown[]): { params: unknown[]; name: string; loc: SourceLocation | undefined } {
  const options = args.at(-1) as { name?: string; loc?: SourceLocation } | undefined;
  return { params: args.slice(0, -1), name: options?.name ?? 'helper', loc: options?.loc };
}

/** A helper whose parameters must all be defined (null is a value: it means "explicitly empty"). */
function strict(fn: (...params: unknown[]) => unknown, arity: number): HelperDelegate {
  return (...args: unknown[]) => {
    const { params, name, loc } = call(args);
    if (params.length < arity || params.slice(0, arity).some((p) => p === undefined)) throw new MissingValue(name, loc);
    return fn(...params);
  };
}

/**
 * Where `{{json x}}` puts its JSON text while a capture is active (see `placeholders.ts`): the helper then returns a
 * placeholder token instead, so that the YAML parser never sees (nor re-parses) the values. Set only around one
 * synchronous Handlebars render, so nothing else (e.g. nats.conf rendering) ever sees a token.
 */
export interface JsonCapture {
  /** Keeps `text` aside and returns the token that stands for it in the rendered text. */
  add(text: string): string;
}

let capture: JsonCapture | undefined;

/** Run `fn` (one synchronous render) with `{{json x}}` writing into `into`; restores the previous state after. */
export function withJsonCapture<T>(into: JsonCapture, fn: () => T): T {
  const previous = capture;
  capture = into;
  try {
    return fn();
  } finally {
    capture = previous;
  }
}

export const helpers: Record<string, HelperDelegate> = {
  /** `{{json x}}`: x as JSON text (a placeholder token for it while a capture is active). */
  json: strict((value) => {
    const text = JSON.stringify(value);
    // JSON.stringify(function) is undefined: Handlebars prints nothing, with or without a capture.
    return capture && text !== undefined ? capture.add(text) : text;
  }, 1),
  /** `{{b64 x}}`: base64 of the UTF-8 string x, for Secret `data`. */
  b64: strict((value) => Buffer.from(String(value), 'utf8').toString('base64'), 1),
  /** `{{indent 4 text}}`: every non-empty line of text indented by n spaces (for literal blocks). */
  indent: strict((n, text) => {
    const pad = ' '.repeat(Number(n));
    return String(text).split('\n').map((line) => (line === '' ? line : pad + line)).join('\n');
  }, 2),
  /** `{{#if (eq a b)}}`: strict equality (absent values allowed: conditions may test optional fields). */
  eq: (...args: unknown[]) => {
    const { params } = call(args);
    return params[0] === params[1];
  },
  /** `{{default x "fallback"}}`: x unless it is null, undefined or empty. */
  default: (...args: unknown[]) => {
    const { params } = call(args);
    const [value, other] = params;
    return value === undefined || value === null || value === '' ? other : value;
  },
};
