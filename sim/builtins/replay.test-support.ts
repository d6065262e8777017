/**
 * Test support: replays a recorded kube-conformance case over HTTP against a running sim (templates, polls, the
 * message and causes rules of the corpus README), failing on the first step that differs.
 */
import { expect } from 'chai';
import { loadSteps, mismatch, type RecordedStep as Step } from '../../test/helpers/recorded-cases.ts';

interface Result { status: number; body: unknown }

function lookup(results: Result[], expr: string): unknown {
  const [step, ...path] = expr.split('.');
  let v: unknown = results[Number(step?.replace('step', '')) - 1];
  for (const k of path) v = (v as Record<string, unknown> | undefined)?.[k];
  return v;
}

function substitute(value: unknown, results: Result[]): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{([^}]+)\}\}$/.exec(value);
    if (whole?.[1]) return lookup(results, whole[1]);
    return value.replace(/\{\{([^}]+)\}\}/g, (_m, expr: string) => String(lookup(results, expr)));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, results));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, results)]));
  return value;
}

type StatusLike = { message?: string; details?: { causes?: Array<{ field?: string; reason?: string }> } };

function causePairs(body: unknown): string[] {
  return ((body as StatusLike | undefined)?.details?.causes ?? []).map((c) => `${c.field ?? ''}|${c.reason ?? ''}`).sort();
}

/** Replays case `name` against `baseUrl`. */
export async function replayCase(baseUrl: string, name: string): Promise<void> {
  const steps = loadSteps(name);
  const results: Result[] = [];
  for (const [i, step] of steps.entries()) {
    const req = substitute(step.request, results) as Step['request'];
    const send = async (): Promise<Result> => {
      const init: RequestInit = { method: req.method, headers: req.headers };
      if (req.body !== undefined) init.body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      const res = await fetch(baseUrl + req.path, init);
      const text = await res.text();
      let body: unknown = text;
      try { body = JSON.parse(text); } catch { /* a text body */ }
      return { status: res.status, body };
    };
    let res = await send();
    const wanted = step.poll ? Number(/status == (\d+)/.exec(step.poll.until)?.[1]) : undefined;
    const deadline = Date.now() + (step.poll?.timeoutMs ?? 0);
    while (wanted !== undefined && res.status !== wanted && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      res = await send();
    }
    const where = `${name} step ${i + 1} ${req.method} ${req.path}`;
    expect(res.status, `${where}: ${JSON.stringify(res.body)}`).to.equal(step.response.status);
    const expected = structuredClone(step.response.body) as StatusLike | undefined;
    const actual = structuredClone(res.body) as StatusLike | undefined;
    const rule = step.compare?.message;
    if (rule && expected && actual) {
      if (rule !== 'ignore' && rule.prefix) expect(actual.message, where).to.satisfy((m: string) => m.startsWith(rule.prefix ?? ''));
      delete expected.message;
    }
    if (expected?.details?.causes) {
      expect(causePairs(actual), `${where} causes`).to.deep.equal(causePairs(expected));
      delete expected.details.causes;
    }
    expect(mismatch(expected, actual), where).to.equal(undefined);
    for (const path of step.compare?.absent ?? []) {
      let v: unknown = res.body;
      for (const k of path) v = (v as Record<string, unknown> | undefined)?.[k];
      expect(v, `${where}: ${path.join('.')} should be absent`).to.equal(undefined);
    }
    results.push(res);
  }
}
