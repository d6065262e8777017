/** Reading request bodies and writing JSON / Status / plain-text answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StatusBody } from '#sim/types.ts';
import { jsonOf } from '#sim/store/json.ts';

/**
 * Reads the whole request body as bytes (protobuf bodies are not text). Plain stream events rather than
 * `for await`: the async iterator's promise per chunk and its end-of-stream bookkeeping showed in every write's profile.
 * A request that closes before its end (the client went away) rejects, as the iterator did.
 */
export function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    req.on('data', (chunk: Buffer) => { chunks.push(chunk); });
    req.once('end', () => {
      ended = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.once('error', reject);
    req.once('close', () => {
      if (!ended) reject(Object.assign(new Error('the request was closed before its body ended'), { name: 'RequestAbortedError' }));
    });
  });
}

/** Reads the whole request body as UTF-8 text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}

/** Answers a JSON document. */
export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  sendJsonText(res, code, jsonOf(body)); // a stored object's text is serialised once and reused
}

/** Answers an already serialised JSON document. */
export function sendJsonText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answers a Status body with its code (and Retry-After when the details carry one). */
export function sendStatus(res: ServerResponse, body: StatusBody): void {
  const retry = body.details?.retryAfterSeconds;
  if (retry !== undefined) res.setHeader('Retry-After', String(retry));
  sendJson(res, body.code, body);
}

/** The plain-text `404 page not found` of paths outside any served API. */
export function sendPageNotFound(res: ServerResponse): void {
  const text = '404 page not found\n';
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
