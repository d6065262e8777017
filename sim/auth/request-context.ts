/**
 * Who is making the HTTP request being served, so checks that run deep in the write path (escalation prevention,
 * create-by-apply, owner references) know the user without the HTTP layer passing it down. Writes made in-process
 * (the sim's own controllers, tests using the store) carry no request context and are trusted, like the real
 * server's loopback client.
 *
 * Synchronous on purpose: the authorizer binds the context to the request object, and the handler makes it current
 * only while it runs the request's (synchronous) write. An AsyncLocalStorage did the same, but enabling it turns on
 * async hooks for every promise and callback of the process (a few per cent of the sim's CPU under load).
 */
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from './authenticate.ts';
import type { RequestAttributes } from './rules.ts';

/** The authenticated user of a request and the attributes it was authorized with. */
export interface RequestContext {
  user: UserInfo;
  attrs: RequestAttributes;
}

const byRequest = new WeakMap<IncomingMessage, RequestContext>();
let current: RequestContext | undefined;

/**
 * Binds `context` to the request: the authorizer calls it; the handler's writes see it (`runInRequest`).
 */
export function enterRequest(req: IncomingMessage, context: RequestContext): void {
  byRequest.set(req, context);
}

/**
 * Runs `write` (synchronous) with the request's context as the current one, restoring the previous one after. A
 * request no authorizer bound runs without a context (trusted), as before.
 */
export function runInRequest<T>(req: IncomingMessage, write: () => T): T {
  const context = byRequest.get(req);
  if (context === undefined && current === undefined) return write();
  const previous = current;
  current = context;
  try {
    return write();
  } finally {
    current = previous;
  }
}

/**
 * The request context of the write being admitted, when it is the write the request asked for: the same resource
 * and (when the request names one) the same object. A sim controller reacting to that write in the same flow is
 * not mistaken for the requester.
 */
export function requestFor(resource: string, namespace: string | undefined, name: string | undefined): RequestContext | undefined {
  const ctx = current;
  if (!ctx || ctx.attrs.resource !== resource) return undefined;
  if ((ctx.attrs.namespace ?? '') !== (namespace ?? '')) return undefined;
  if (ctx.attrs.name && ctx.attrs.name !== name) return undefined;
  return ctx;
}
