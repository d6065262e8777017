/**
 * Test support: "recorded ⊆ actual" with the placeholders of the kube-conformance corpus (README, body rules), so
 * unit tests can assert admission results against the real server's recorded answers.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '#shared/kube/types.ts';
import type { AdmissionContext, ResourceInfo } from '#sim/types.ts';
import { BUILTIN_RESOURCES } from '#sim/resources/builtin.ts';

const patterns: Record<string, string> = {
  '<uid>': '[^\\s"]+', '<rv>': '[^\\s"]+', '<token>': '[^\\s"]+', '<continue>': '[^\\s"]*', '<any>': '[\\s\\S]*',
  '<time>': '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z', '<generated>': '[a-z0-9]{5}',
  '<ip>': '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}',
};

function stringMatches(expected: string, actual: unknown): boolean {
  if (typeof actual !== 'string') return false;
  const re = expected.split(/(<uid>|<rv>|<token>|<continue>|<any>|<time>|<generated>|<ip>)/)
    .map((part) => patterns[part] ?? part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${re}$`).test(actual);
}

/** The first difference between a recorded value and an actual one (undefined when it matches). */
export function mismatch(expected: unknown, actual: unknown, path = ''): string | undefined {
  if (expected === null) return actual === null || actual === undefined ? undefined : `${path}: expected null, got ${JSON.stringify(actual)}`;
  if (typeof expected === 'string') return stringMatches(expected, actual) ? undefined : `${path}: expected ${expected}, got ${JSON.stringify(actual)}`;
  if (typeof expected !== 'object') return expected === actual ? undefined : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    for (const [i, e] of expected.entries()) {
      const m = mismatch(e, actual[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return `${path}: expected an object, got ${JSON.stringify(actual)}`;
  for (const [k, e] of Object.entries(expected)) {
    const m = mismatch(e, (actual as Record<string, unknown>)[k], `${path}.${k}`);
    if (m) return m;
  }
  return undefined;
}

interface Step { request: { method: string; path: string; body?: unknown }; response: { status: number; body?: unknown } }

/** The steps of a recorded case. */
export function recordedSteps(name: string): Step[] {
  const file = fileURLToPath(new URL(`../../../shared/kube-conformance/cases/${name}.json`, import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { steps: Step[] }).steps;
}

/** The served ResourceInfo of a built-in kind. */
export function resourceOf(kind: string): ResourceInfo {
  const info = BUILTIN_RESOURCES.find((r) => r.kind === kind && r.group !== 'events.k8s.io');
  if (!info) throw new Error(`no built-in ${kind}`);
  return info;
}

/** An admission context for a create. */
export function createCtx(kind: string): AdmissionContext {
  return { operation: 'create', resource: resourceOf(kind), old: undefined, subresource: '' };
}

/** An admission context for an update of `old`. */
export function updateCtx(kind: string, old: KubeObject, subresource: '' | 'status' = ''): AdmissionContext {
  return { operation: 'update', resource: resourceOf(kind), old, subresource };
}

/** The request body as the store hands it to admission on create (system fields filled in). */
export function asStored(body: unknown, namespace?: string): KubeObject {
  const obj = structuredClone(body) as KubeObject;
  obj.metadata = { ...obj.metadata, uid: randomUUID(), resourceVersion: '1', creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') };
  if (namespace) obj.metadata.namespace = namespace;
  return obj;
}
