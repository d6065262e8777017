/**
 * Loading the recorded cases of `../shared/kube-conformance/cases` (override with CONFORMANCE_CASES=<dir>; select
 * with CONFORMANCE_ONLY=<regexp on the case name>).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ConformanceCase } from './types.ts';

/** The folder of the recorded cases. */
export const casesDir = process.env.CONFORMANCE_CASES ?? resolve(import.meta.dirname, '../../../shared/kube-conformance/cases');

/** Every case, in file-name order, filtered by CONFORMANCE_ONLY when set. */
export function loadCases(dir = casesDir): ConformanceCase[] {
  const only = process.env.CONFORMANCE_ONLY ? new RegExp(process.env.CONFORMANCE_ONLY) : undefined;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ConformanceCase)
    .filter((c) => only === undefined || only.test(c.name));
}
