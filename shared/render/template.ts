/**
 * Render Kubernetes objects from Handlebars templates (`*.yaml.hbs`): strict about missing variables, parsed with
 * js-yaml (YAML 1.2 core schema: `yes` stays a string), each document checked to be an object Kubernetes accepts.
 *
 * Fast path: `{{json x}}` renders a placeholder token (`placeholders.ts`) and keeps its JSON text aside; the parse of
 * the token text (the same for every tenant) is memoised as a skeleton (`skeleton.ts`) that builds the documents
 * with the JSON texts in place (`fill.ts`): the same objects, key order and errors as parsing the real text, without
 * js-yaml. Whatever the skeleton cannot prove takes the plain path: render the real text and parse it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { loadAll } from 'js-yaml';
import type { KubeObject } from '#shared/kube/types.ts';
import { RenderError } from './errors.ts';
import { MissingValue, helpers, withJsonCapture, type SourceLocation } from './helpers.ts';
import { fillSkeleton } from './fill.ts';
import { Lru } from './lru.ts';
import { JsonTexts, locateTokens } from './placeholders.ts';
import { buildSkeleton, type Skeleton } from './skeleton.ts';

/** An isolated Handlebars instance: helpers registered here never leak into other users of the library. */
const hb = Handlebars.create();
hb.registerHelper(helpers);

interface Compiled { source: string; render: Handlebars.TemplateDelegate }
const templates = new Map<string, Compiled>();
const listings = new Map<string, string[]>();
/** Skeletons by template file and token text; `null`: that text takes the plain path. */
const skeletons = new Lru<string, Skeleton | null>(256);

/** How renders went since start (tests and `bench/` check the fast path is taken): counters only ever grow. */
export const renderCounts = {
  /** Renders answered from a memoised skeleton (no YAML parse). */
  fast: 0,
  /** Renders that took the plain path (real text parsed by js-yaml). */
  plain: 0,
  /** Token texts parsed into a skeleton (memo misses). */
  parses: 0,
};

/** Forget cached templates, directory listings and memoised parses (tests that rewrite templates). */
export function clearTemplateCache(): void {
  templates.clear();
  listings.clear();
  skeletons.clear();
}

function pathOf(path: string | URL): string {
  return typeof path === 'string' ? path : fileURLToPath(path);
}

function compiled(file: string): Compiled {
  let entry = templates.get(file);
  if (!entry) {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (error) {
      throw new RenderError(`cannot read template ${file}`, { cause: error, template: file });
    }
    // noEscape: the output is YAML, not HTML; `{{json x}}` is the way to quote values.
    entry = { source, render: hb.compile(source, { strict: true, noEscape: true }) };
    templates.set(file, entry);
  }
  return entry;
}

/** The `{{…}}` text at a location, e.g. `json spec.size`. */
function expressionAt(source: string, line: number, column: number): string {
  const text = source.split('\n')[line - 1] ?? '';
  const open = text.lastIndexOf('{{', column + 1);
  const close = text.indexOf('}}', column);
  return open >= 0 && close > open ? text.slice(open + 2, close).replace(/^[{#~&]*/, '').replace(/[}~]*$/, '').trim() : '';
}

/** Turn a Handlebars failure into a RenderError naming the template, the line and the missing variable. */
function renderFailure(file: string, source: string, error: unknown): RenderError {
  const name = basename(file);
  if (error instanceof MissingValue && error.loc) {
    const { line, column } = (error.loc satisfies SourceLocation).start;
    const expression = expressionAt(source, line, column);
    const variable = expression.split(/\s+/).slice(1).join(' ') || expression;
    return new RenderError(`template ${name} line ${line}: missing variable "${variable}" in {{${expression}}}`,
      { cause: error, template: file, variable });
  }
  const message = error instanceof Error ? error.message : String(error);
  const strictMiss = /^"(.+)" not defined in .* - (\d+):(\d+)$/.exec(message);
  if (strictMiss) {
    const line = Number(strictMiss[2]);
    const variable = expressionAt(source, line, Number(strictMiss[3])) || strictMiss[1] || '';
    return new RenderError(`template ${name} line ${line}: missing variable "${variable}"`, { cause: error, template: file, variable });
  }
  return new RenderError(`template ${name}: ${message}`, { cause: error, template: file });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Check a parsed document is a Kubernetes object: apiVersion, kind, metadata.name. */
function toObject(doc: unknown, index: number, file: string): KubeObject {
  const where = `template ${basename(file)} document ${index + 1}`;
  if (!isRecord(doc)) throw new RenderError(`${where} is not a mapping`, { template: file });
  const metadata = doc['metadata'];
  const missing = [
    typeof doc['apiVersion'] === 'string' && doc['apiVersion'] !== '' ? undefined : 'apiVersion',
    typeof doc['kind'] === 'string' && doc['kind'] !== '' ? undefined : 'kind',
    isRecord(metadata) && typeof metadata['name'] === 'string' && metadata['name'] !== '' ? undefined : 'metadata.name',
  ].filter((field) => field !== undefined);
  if (missing.length > 0) throw new RenderError(`${where} has no ${missing.join(', ')}`, { template: file });
  return doc as unknown as KubeObject;
}

function toObjects(docs: unknown[], file: string): KubeObject[] {
  return docs.filter((doc) => doc !== null && doc !== undefined).map((doc, i) => toObject(doc, i, file));
}

/** The plain path: render the real text and parse it with js-yaml. */
function renderPlain(file: string, { source, render }: Compiled, data: object): KubeObject[] {
  let text: string;
  try {
    text = render(data);
  } catch (error) {
    throw renderFailure(file, source, error);
  }
  let docs: unknown[];
  try {
    docs = loadAll(text, { filename: file });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new RenderError(`template ${basename(file)} produced invalid YAML: ${message}`, { cause: error, template: file });
  }
  return toObjects(docs, file);
}

/** The fast path's documents, or undefined when this render must take the plain path. */
function renderFast(file: string, { source, render }: Compiled, data: object): unknown[] | undefined {
  const json = new JsonTexts();
  let text: string;
  try {
    text = withJsonCapture(json, () => render(data));
  } catch (error) {
    throw renderFailure(file, source, error);
  }
  const key = `${file}\0${text}`;
  let skeleton = skeletons.get(key);
  if (skeleton === undefined) {
    const tokens = locateTokens(text, json.texts.length);
    skeleton = (tokens && buildSkeleton(text, tokens, file)) ?? null;
    renderCounts.parses++;
    skeletons.set(key, skeleton);
  }
  return skeleton ? fillSkeleton(skeleton, json.texts) : undefined;
}

let trace: ((file: string, data: object) => void) | undefined;

/** Call `hook` with every `renderTemplate` call's file and data (`bench/` records real renders); undefined stops. */
export function traceRenders(hook: ((file: string, data: object) => void) | undefined): void {
  trace = hook;
}

/** Render one template into the objects it describes (empty documents are dropped). */
export function renderTemplate(templatePath: string | URL, data: object): KubeObject[] {
  const file = pathOf(templatePath);
  trace?.(file, data);
  const template = compiled(file);
  const docs = renderFast(file, template, data);
  if (docs) {
    renderCounts.fast++;
    return toObjects(docs, file);
  }
  renderCounts.plain++;
  return renderPlain(file, template, data);
}

/** `renderTemplate` without the fast path: the reference the fast path must equal (tests, `bench/`). */
export function renderTemplatePlain(templatePath: string | URL, data: object): KubeObject[] {
  const file = pathOf(templatePath);
  return renderPlain(file, compiled(file), data);
}

/** Render every `*.yaml.hbs` in a directory, in file name order, into one list. */
export function renderDir(dir: string | URL, data: object): KubeObject[] {
  const path = pathOf(dir);
  let files = listings.get(path);
  if (!files) {
    try {
      files = readdirSync(path).filter((f) => f.endsWith('.yaml.hbs')).sort();
    } catch (error) {
      throw new RenderError(`cannot list templates in ${path}`, { cause: error });
    }
    listings.set(path, files);
  }
  return files.flatMap((f) => renderTemplate(join(path, f), data));
}
