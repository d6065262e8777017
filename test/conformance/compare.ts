/**
 * The comparison rules of the kube-conformance README: recorded ⊆ actual, with placeholders, back-references,
 * list identities, cause multisets, discovery subsets, sets of verbs, message rules, ignore and absent paths.
 * Every function answers the first difference as a string (with its path), or null when the answer conforms.
 */
import { deepEqual, isObject } from '#sim/patch/json-value.ts';
import { stringMatches } from './placeholders.ts';
import { isWholeTemplate, substituteString } from './template.ts';
import type { CaseStep, CompareRules, MessageRule, RecordedEvent, StepResult } from './types.ts';

type Path = Array<string | number>;

/** What the comparison of one body needs to know besides the two values. */
export interface CompareContext {
  /** Actual results of the earlier steps, for back-references. */
  results: StepResult[];
  ignore?: Path[];
  /** Applies to the top-level `message` of a Status body. */
  message?: MessageRule | 'ignore';
}

const SET_ARRAYS = new Set(['verbs', 'shortNames', 'categories']);

function show(value: unknown): string {
  const text = value === undefined ? 'absent' : JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function where(path: Path): string {
  return path.length === 0 ? '(body)' : path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
}

function ignored(path: Path, ignore: Path[] | undefined): boolean {
  return (ignore ?? []).some((p) => p.length === path.length && p.every((e, i) => e === '*' || e === path[i]));
}

/** Compare a recorded body with the actual one. */
export function compareBody(recorded: unknown, actual: unknown, ctx: CompareContext): string | null {
  return compareValue(recorded, actual, [], ctx, recorded);
}

function compareValue(rec: unknown, act: unknown, path: Path, ctx: CompareContext, root: unknown): string | null {
  if (ignored(path, ctx.ignore)) return null;
  const last = path[path.length - 1];
  if (last === 'managedFields' && path[path.length - 2] === 'metadata') return null;
  if (typeof rec === 'string') return compareString(rec, act, path, ctx, root);
  if (rec === null || typeof rec !== 'object') {
    return rec === act ? null : `${where(path)}: expected ${show(rec)}, got ${show(act)}`;
  }
  if (Array.isArray(rec)) {
    if (!Array.isArray(act)) return `${where(path)}: expected an array, got ${show(act)}`;
    return compareArray(rec, act, path, ctx, root);
  }
  if (!isObject(act)) return `${where(path)}: expected an object, got ${show(act)}`;
  for (const [key, value] of Object.entries(rec)) {
    const sub = [...path, key];
    if (ignored(sub, ctx.ignore)) continue;
    if (!Object.hasOwn(act, key)) {
      if (value === null) continue; // a recorded null matches an absent key
      if (key === 'managedFields' && last === 'metadata') continue;
      return `${where(sub)}: expected ${show(value)}, got absent`;
    }
    const diff = compareValue(value, act[key], sub, ctx, root);
    if (diff !== null) return diff;
  }
  return null;
}

function compareString(rec: string, act: unknown, path: Path, ctx: CompareContext, root: unknown): string | null {
  if (isWholeTemplate(rec)) {
    const expected = substituteString(rec, ctx.results);
    return deepEqual(expected, act) ? null : `${where(path)}: expected ${show(expected)} (${rec}), got ${show(act)}`;
  }
  const statusMessage = path.length === 1 && path[0] === 'message' && isObject(root) && root.kind === 'Status';
  if (statusMessage && ctx.message !== undefined) {
    if (ctx.message === 'ignore') return null;
    if (typeof act !== 'string') return `.message: expected a string, got ${show(act)}`;
    if (ctx.message.prefix !== undefined && !act.startsWith(ctx.message.prefix)) {
      return `.message: expected prefix ${show(ctx.message.prefix)}, got ${show(act)}`;
    }
    const missing = (ctx.message.contains ?? []).find((s) => !act.includes(s));
    return missing === undefined ? null : `.message: expected to contain ${show(missing)}, got ${show(act)}`;
  }
  return stringMatches(rec, act) ? null : `${where(path)}: expected ${show(rec)}, got ${show(act)}`;
}

function compareArray(rec: unknown[], act: unknown[], path: Path, ctx: CompareContext, root: unknown): string | null {
  const last = path[path.length - 1];
  const kind = isObject(root) ? root.kind : undefined;
  if (last === 'items' && rec.every((i) => typeof nameOf(i) === 'string')) return compareItems(rec, act, path, ctx, root);
  if (last === 'causes' && path[path.length - 2] === 'details') return compareCauses(rec, act, path);
  const subsetKey = path.length === 1
    ? (kind === 'APIResourceList' && last === 'resources' ? 'name'
      : kind === 'APIGroupList' && last === 'groups' ? 'name'
        : kind === 'APIGroup' && last === 'versions' ? 'groupVersion' : undefined)
    : undefined;
  if (subsetKey !== undefined) return compareSubset(rec, act, subsetKey, path, ctx, root);
  if (typeof last === 'string' && SET_ARRAYS.has(last) && rec.every((v) => typeof v === 'string')) {
    const a = [...act].map(String).sort();
    const r = [...rec].map(String).sort();
    return deepEqual(a, r) && act.length === rec.length ? null : `${where(path)}: expected the set ${show(r)}, got ${show(act)}`;
  }
  if (rec.length !== act.length) return `${where(path)}: expected ${rec.length} elements, got ${act.length}: ${show(act)}`;
  for (const [i, item] of rec.entries()) {
    const diff = compareValue(item, act[i], [...path, i], ctx, root);
    if (diff !== null) return diff;
  }
  return null;
}

function nameOf(item: unknown): unknown {
  return isObject(item) && isObject(item.metadata) ? item.metadata.name : undefined;
}

function identity(item: unknown): string {
  const meta = isObject(item) && isObject(item.metadata) ? item.metadata : {};
  return `${typeof meta.namespace === 'string' ? meta.namespace : ''}/${typeof meta.name === 'string' ? meta.name : ''}`;
}

/** List items: matched by namespace/name (placeholders allowed), any order, same count. */
function compareItems(rec: unknown[], act: unknown[], path: Path, ctx: CompareContext, root: unknown): string | null {
  if (rec.length !== act.length) {
    return `${where(path)}: expected ${rec.length} items [${rec.map(identity).join(', ')}], got ${act.length} [${act.map(identity).join(', ')}]`;
  }
  const used = new Set<number>();
  for (const item of rec) {
    const id = identity(item);
    const index = act.findIndex((a, i) => !used.has(i) && stringMatches(id, identity(a)));
    if (index < 0) return `${where(path)}: no item ${id} in [${act.map(identity).join(', ')}]`;
    used.add(index);
    const diff = compareValue(item, act[index], [...path, index], ctx, root);
    if (diff !== null) return diff;
  }
  return null;
}

/** details.causes: a multiset of (field, reason); messages are not compared. */
function compareCauses(rec: unknown[], act: unknown[], path: Path): string | null {
  const pair = (c: unknown): string => (isObject(c) ? `${String(c.field)} ${String(c.reason)}` : show(c));
  const actual = act.map(pair);
  const expected = rec.map(pair);
  const remaining = [...actual];
  for (const e of expected) {
    const i = remaining.indexOf(e);
    if (i < 0) return `${where(path)}: missing cause (${e}); got [${actual.join('; ')}]`;
    remaining.splice(i, 1);
  }
  return remaining.length === 0 ? null : `${where(path)}: unexpected causes [${remaining.join('; ')}]; expected [${expected.join('; ')}]`;
}

/** Discovery lists: every recorded entry present (matched by `key`) and matching; more actual entries allowed. */
function compareSubset(rec: unknown[], act: unknown[], key: string, path: Path, ctx: CompareContext, root: unknown): string | null {
  for (const item of rec) {
    const id = isObject(item) ? item[key] : undefined;
    const index = act.findIndex((a) => isObject(a) && a[key] === id);
    if (index < 0) return `${where(path)}: missing entry ${key}=${show(id)}`;
    const diff = compareValue(item, act[index], [...path, index], ctx, root);
    if (diff !== null) return diff;
  }
  return null;
}

/** Watch events: BOOKMARKs dropped (an actual one must carry a resourceVersion), then in order or as a set. */
export function compareEvents(rec: RecordedEvent[], act: RecordedEvent[], rules: CompareRules, results: StepResult[]): string | null {
  for (const e of act) {
    const rv = e.type === 'BOOKMARK' && isObject(e.object) && isObject(e.object.metadata) ? e.object.metadata.resourceVersion : '';
    if (typeof rv !== 'string') return `events: a BOOKMARK without metadata.resourceVersion: ${show(e)}`;
  }
  const r = rec.filter((e) => e.type !== 'BOOKMARK');
  const a = act.filter((e) => e.type !== 'BOOKMARK');
  const summary = (list: RecordedEvent[]): string => list.map((e) => `${e.type} ${identity(e.object)}`).join(', ');
  if (r.length !== a.length) return `events: expected ${r.length} [${summary(r)}], got ${a.length} [${summary(a)}]`;
  const ctx: CompareContext = { results, ...(rules.ignore ? { ignore: rules.ignore } : {}) };
  const one = (e: RecordedEvent, g: RecordedEvent | undefined, i: number): string | null => {
    if (g === undefined || e.type !== g.type) return `events[${i}]: expected type ${e.type}, got ${g?.type ?? 'none'}`;
    const diff = compareBody(e.object, g.object, ctx);
    return diff === null ? null : `events[${i}].object${diff.startsWith('(body)') ? diff.slice(6) : diff}`;
  };
  if (!rules.eventsUnordered) {
    for (const [i, e] of r.entries()) {
      const diff = one(e, a[i], i);
      if (diff !== null) return diff;
    }
    return null;
  }
  const used = new Set<number>();
  for (const [i, e] of r.entries()) {
    const index = a.findIndex((g, j) => !used.has(j) && one(e, g, j) === null);
    if (index < 0) return `events (unordered): no match for recorded event ${i} ${e.type} ${identity(e.object)}; got [${summary(a)}]`;
    used.add(index);
  }
  return null;
}

function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** Is the path absent from the body? */
function absentDiff(body: unknown, path: Path): string | null {
  let current: unknown = body;
  for (const p of path) {
    if (Array.isArray(current) && typeof p === 'number') current = (current as unknown[])[p];
    else if (isObject(current) && Object.hasOwn(current, String(p))) current = current[String(p)];
    else return null;
    if (current === undefined) return null;
  }
  return `${where(path)}: expected absent, got ${show(current)}`;
}

/** Compare the actual result of a step with its recording; null when it conforms. */
export function compareStep(step: CaseStep, actual: StepResult, results: StepResult[]): string | null {
  const expected = step.response;
  if (actual.status !== expected.status) {
    return `status: expected ${expected.status}, got ${actual.status} ${show(actual.body ?? actual.events)}`;
  }
  if (mediaType(actual.contentType) !== mediaType(expected.contentType)) {
    return `content type: expected ${expected.contentType}, got ${actual.contentType}`;
  }
  const rules = step.compare ?? {};
  if (step.watch) return compareEvents(expected.events ?? [], actual.events ?? [], rules, results);
  if (typeof expected.body === 'string') {
    return expected.body === actual.body ? null : `body: expected ${show(expected.body)}, got ${show(actual.body)}`;
  }
  if (expected.body !== undefined) {
    const ctx: CompareContext = {
      results, ...(rules.ignore ? { ignore: rules.ignore } : {}), ...(rules.message ? { message: rules.message } : {}),
    };
    const diff = compareBody(expected.body, actual.body, ctx);
    if (diff !== null) return diff;
  }
  for (const path of rules.absent ?? []) {
    const diff = absentDiff(actual.body, path);
    if (diff !== null) return diff;
  }
  return null;
}
