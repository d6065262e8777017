/**
 * Who is making the HTTP request being served, carried through the asynchronous handling of that request, so checks
 * that run deep in the write path (escalation prevention, create-by-apply, owner references) know the user without
 * the HTTP layer passing it down. Writes made in-process (the sim's own controllers, tests using the store) carry
 * no request context and are trusted, like the real server's loopback client.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { UserInfo } from './authenticate.ts';
import type { RequestAttributes } from './rules.ts';

/** The authenticated user of a request and the attributes it was authorized with. */
export interface RequestContext {
  user: UserInfo;
  attrs: RequestAttributes;
}

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * Makes `context` the current request context for the rest of the calling asynchronous flow. The authorizer calls
 * it: the router runs the handler right after, in the same flow, so the handler's writes see it.
 */
export function enterRequest(context: RequestContext): void {
  storage.enterWith(context);
}

/**
 * The request context of the write being admitted, when it is the write the request asked for: the same resource
 * and (when the request names one) the same object. A sim controller reacting to that write in the same flow (e.g.
 * the kubelet writing status later) is not mistaken for the requester.
 */
export function requestFor(resource: string, namespace: string | undefined, name: string | undefined): RequestContext | undefined {
  const ctx = storage.getStore();
  if (!ctx || ctx.attrs.resource !== resource) return undefined;
  if ((ctx.attrs.namespace ?? '') !== (namespace ?? '')) return undefined;
  if (ctx.attrs.name && ctx.attrs.name !== name) return undefined;
  return ctx;
}
