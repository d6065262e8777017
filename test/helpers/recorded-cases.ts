/**
 * The recorded kube-conformance cases (answers of a real kube-apiserver v1.24, in `shared/kube-conformance/cases`
 * beside the checkout) and the "recorded ⊆ actual" matcher with the corpus placeholders (`<uid>`, `<time>`, ...),
 * so the sim's unit tests compare against the real server.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringMatches } from '../conformance/placeholders.ts';

/** One recorded step (only what the unit tests read). */
export interface RecordedStep {
  description?: string;
  request: { method: string; path: string; headers: Record<string, string>; body?: unknown };
  poll?: { until: string; timeoutMs?: number; intervalMs?: number };
  compare?: { absent?: string[][]; message?: { prefix?: string; contains?: string[] } | 'ignore' };
  response: { status: number; body?: unknown };
}

/** Loads `cases/<name>.json` of the shared corpus. */
export function loadSteps(name: string): RecordedStep[] {
  const file = fileURLToPath(new URL(`../../../shared/kube-conformance/cases/${name}.json`, import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { steps: RecordedStep[] }).steps;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The first difference between a recorded value and an actual one; undefined when recorded ⊆ actual (a recorded
 * null also matches an absent value; a recorded string matches whole, its placeholders standing for their patterns).
 */
export function mismatch(expected: unknown, actual: unknown, path = ''): string | undefined {
  if (expected === null) return actual === null || actual === undefined ? undefined : `${path}: expected null, got ${JSON.stringify(actual)}`;
  if (typeof expected === 'string') return stringMatches(expected, actual) ? undefined : `${path}: expected ${expected}, got ${JSON.stringify(actual)}`;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    for (const [i, e] of expected.entries()) {
      const m = mismatch(e, actual[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return `${path}: expected an object, got ${JSON.stringify(actual)}`;
    for (const [k, e] of Object.entries(expected)) {
      const m = mismatch(e, actual[k], `${path}.${k}`);
      if (m) return m;
    }
    return undefined;
  }
  return expected === actual ? undefined : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}
