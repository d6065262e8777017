/**
 * Sending a case's requests with plain `fetch` (undici): one request/answer, or a watch read as NDJSON until the
 * server ends the stream.
 */
import { isObject } from '#sim/patch/json-value.ts';
import type { CaseRequest, RecordedEvent, StepResult } from './types.ts';

/** Extra seconds a watch may run past its `timeoutSeconds` before the test gives up on the server closing it. */
const WATCH_GRACE_MS = 10_000;

function bodyOf(request: CaseRequest): string | undefined {
  if (request.body === undefined) return undefined;
  return typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
}

/** Headers to send: the case's own, plus `extra` (credentials) unless the case brings an Authorization. */
function headersOf(request: CaseRequest, extra: Record<string, string>): Record<string, string> {
  const own = request.headers ?? {};
  const hasAuth = Object.keys(own).some((k) => k.toLowerCase() === 'authorization');
  return hasAuth ? { ...own } : { ...extra, ...own };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** One request; the body is parsed as JSON when it is JSON, kept as text otherwise. */
export async function send(baseUrl: string, request: CaseRequest, extra: Record<string, string> = {}): Promise<StepResult> {
  const body = bodyOf(request);
  const init: RequestInit = { method: request.method, headers: headersOf(request, extra), signal: AbortSignal.timeout(60_000) };
  if (body !== undefined) init.body = body;
  const res = await fetch(baseUrl + request.path, init);
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: parse(text) };
}

/** The `timeoutSeconds` of a watch path (the corpus always sets one). */
export function watchTimeoutMs(path: string): number {
  const m = /[?&]timeoutSeconds=(\d+)/.exec(path);
  return (m ? Number(m[1]) : 5) * 1000;
}

/** A watch: read newline-delimited events until the server closes the response. */
export async function watchUntilClosed(
  baseUrl: string, request: CaseRequest, extra: Record<string, string> = {},
): Promise<StepResult> {
  const limitMs = watchTimeoutMs(request.path) + WATCH_GRACE_MS;
  const res = await fetch(baseUrl + request.path, {
    method: request.method, headers: headersOf(request, extra), signal: AbortSignal.timeout(limitMs),
  });
  const contentType = res.headers.get('content-type') ?? '';
  let text: string;
  try {
    text = await res.text();
  } catch (error) {
    throw new Error(`watch ${request.path}: the server did not end the stream within ${limitMs} ms`, { cause: error });
  }
  if (res.status !== 200) return { status: res.status, contentType, body: parse(text) };
  const events: RecordedEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const value = parse(line);
    if (!isObject(value) || typeof value.type !== 'string') throw new Error(`watch ${request.path}: not an event: ${line}`);
    events.push({ type: value.type, object: value.object });
  }
  return { status: res.status, contentType, events };
}
