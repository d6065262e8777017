/**
 * Test support: the recorded kube-conformance cases (answers of a real kube-apiserver v1.24) and a
 * "recorded ⊆ actual" matcher with the corpus placeholders, so the unit tests compare against the real server.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '#shared/kube/types.ts';
import type { AdmissionContext, ResourceInfo } from '#sim/types.ts';
import { isPlainObject } from './schema.ts';

/** One recorded step (only what these tests read). */
export interface Step {
  description?: string;
  request: { method: string; path: string; headers: Record<string, string>; body?: unknown };
  compare?: { absent?: string[][]; message?: { prefix?: string; contains?: string[] } };
  response: { status: number; body?: unknown };
}

/** Loads `cases/<name>.json` of the shared corpus. */
export function loadSteps(name: string): Step[] {
  const file = fileURLToPath(new URL(`../../../shared/kube-conformance/cases/${name}.json`, import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { steps: Step[] }).steps;
}

const PLACEHOLDERS: Record<string, string> = {
  '<uid>': '[^\\s"]+', '<rv>': '[^\\s"]+', '<any>': '[\\s\\S]*',
  '<time>': '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z',
};

function stringMatches(expected: string, actual: unknown): boolean {
  if (typeof actual !== 'string') return false;
  const re = expected.split(/(<uid>|<rv>|<any>|<time>)/)
    .map((part) => PLACEHOLDERS[part] ?? part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${re}$`).test(actual);
}

/** The first difference between a recorded value and an actual one; undefined when recorded ⊆ actual. */
export function mismatch(expected: unknown, actual: unknown, path = ''): string | undefined {
  if (expected === null) return actual === null || actual === undefined ? undefined : `${path}: expected null, got ${JSON.stringify(actual)}`;
  if (typeof expected === 'string') {
    if (expected === '<any>') return undefined;
    return stringMatches(expected, actual) ? undefined : `${path}: expected ${expected}, got ${JSON.stringify(actual)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    for (const [i, e] of expected.entries()) {
      const m = mismatch(e, actual[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return `${path}: expected an object, got ${JSON.stringify(actual)}`;
    for (const [k, e] of Object.entries(expected)) {
      const m = mismatch(e, actual[k], `${path}.${k}`);
      if (m) return m;
    }
    return undefined;
  }
  return expected === actual ? undefined : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

/** RFC 7386 JSON merge patch (for the recorded PATCH steps). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

const RESOURCE: ResourceInfo = {
  group: 'example.com', version: 'v1', name: 'widgets', singularName: 'widget', kind: 'Widget', namespaced: true,
  verbs: ['create', 'get'], subresources: ['status'],
};

/** An AdmissionContext for a create, an update (with `old`) or a /status update. */
export function ctxFor(old?: KubeObject, subresource: '' | 'status' = ''): AdmissionContext {
  return { operation: old ? 'update' : 'create', resource: RESOURCE, old, subresource };
}
