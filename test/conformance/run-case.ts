/**
 * Run one conformance case against a server: steps in order, templates, polling, comparison. Shared by the mocha
 * replay test and the CONFORMANCE.md report script.
 */
import { compareStep } from './compare.ts';
import { send, watchUntilClosed } from './http.ts';
import { substituteRequest } from './template.ts';
import type { ConformanceCase, StepResult } from './types.ts';
import { holds } from './until.ts';

/** Where a case stopped conforming: its step (1-based), the request and the first difference. */
export interface CaseFailure {
  step: number;
  method: string;
  path: string;
  difference: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Run all steps; resolves with the first failure, or undefined when the whole case conforms. */
export async function runCase(
  c: ConformanceCase, baseUrl: string, credentials: Record<string, string> = {},
): Promise<CaseFailure | undefined> {
  const results: StepResult[] = [];
  for (const [i, step] of c.steps.entries()) {
    const fail = (difference: string): CaseFailure => ({ step: i + 1, method: step.request.method, path: step.request.path, difference });
    let result: StepResult;
    try {
      const request = substituteRequest(step.request, results);
      const deadline = Date.now() + (step.poll?.timeoutMs ?? 60_000);
      for (;;) {
        result = step.watch ? await watchUntilClosed(baseUrl, request, credentials) : await send(baseUrl, request, credentials);
        if (!step.poll || holds(step.poll.until, result)) break;
        if (Date.now() > deadline) {
          const diff = compareStep(step, result, results);
          return fail(`poll timed out (${step.poll.until})${diff === null ? '' : `; last answer: ${diff}`}`);
        }
        await sleep(step.poll.intervalMs ?? 250);
      }
    } catch (error) {
      return fail(`request failed: ${(error as Error).message}`);
    }
    const diff = compareStep(step, result, results);
    if (diff !== null) return fail(diff);
    results.push(result);
  }
  return undefined;
}

/** One line describing a failure, for test output and CONFORMANCE.md. */
export function describeFailure(f: CaseFailure): string {
  return `step ${f.step} ${f.method} ${f.path}: ${f.difference}`;
}
