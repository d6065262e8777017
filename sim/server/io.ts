/** Reading request bodies and writing JSON / Status / plain-text answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StatusBody } from '#sim/types.ts';
import { jsonOf } from '#sim/store/json.ts';

/** Reads the whole request body as bytes (protobuf bodies are not text). */
export async function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
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
