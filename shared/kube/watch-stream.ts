/**
 * One watch stream over plain node:http(s): `GET …?watch=true`, newline-delimited JSON events. Replaces client-node's
 * `Watch` (node-fetch, a new connection per watch, and a KubeConfig it needs for credentials).
 */
import http from 'node:http';
import https from 'node:https';
import { errorForStatus, networkError } from './map-error.ts';
import type { KubeObject, WatchEvent, WatchEventType, WatchHandle } from './types.ts';
import { WatchEventTypes } from './types.ts';

export interface WatchRequest {
  server: string;
  agent: http.Agent;
  path: string;
  query: Record<string, string | number | boolean | undefined>;
  headers: Record<string, string>;
}

function isEvent(value: unknown): value is { type: WatchEventType; object: KubeObject } {
  if (typeof value !== 'object' || value === null) return false;
  const { type, object } = value as { type?: unknown; object?: unknown };
  return typeof type === 'string' && (WatchEventTypes as readonly string[]).includes(type)
    && typeof object === 'object' && object !== null && !Array.isArray(object);
}

/**
 * Starts the watch; resolves once the server accepted it (HTTP 200), rejects with the typed error when it refused
 * (410, 403, 500, …). `done` then resolves when the server ends the stream or on abort, and rejects when it breaks.
 */
export function openWatch(req: WatchRequest, onEvent: (event: WatchEvent) => void): Promise<WatchHandle> {
  const url = new URL(req.server.replace(/\/$/, '') + req.path);
  for (const [key, value] of Object.entries(req.query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  url.searchParams.set('watch', 'true');
  const what = `WATCH ${url.pathname}`;
  const lib = url.protocol === 'http:' ? http : https;
  let aborted = false;
  let settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  const done = new Promise<void>((resolve, reject) => { settle = { resolve, reject }; });
  done.catch(() => { /* observed by the caller through `done`; never an unhandled rejection */ });
  const finish = (error?: unknown): void => {
    const s = settle;
    settle = undefined;
    if (!s) return;
    if (error === undefined || aborted) s.resolve();
    else s.reject(error);
  };

  return new Promise<WatchHandle>((resolveStart, rejectStart) => {
    const request = lib.request(url, { method: 'GET', agent: req.agent, headers: { Accept: 'application/json', ...req.headers } }, (response) => {
      const status = response.statusCode ?? 0;
      response.setEncoding('utf8');
      if (status !== 200) {
        let text = '';
        response.on('data', (chunk: string) => { text += chunk; });
        response.on('end', () => {
          let body: unknown = text;
          try { body = JSON.parse(text); } catch { /* not JSON: the text goes into the message */ }
          rejectStart(errorForStatus(status, body, response.headers['retry-after'], what));
        });
        response.on('error', (error) => rejectStart(networkError(what, error)));
        return;
      }
      let buffer = '';
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let newline = buffer.indexOf('\n');
        while (newline >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf('\n');
          if (!line || aborted) continue;
          let parsed: unknown;
          try { parsed = JSON.parse(line); } catch (error) {
            request.destroy(new Error(`${what}: a line that is not JSON`, { cause: error }));
            return;
          }
          if (isEvent(parsed)) onEvent(parsed);
        }
      });
      response.on('end', () => finish());
      response.on('error', (error) => finish(networkError(what, error)));
      response.on('close', () => finish(response.complete ? undefined : networkError(what, new Error('stream closed before its end'))));
      resolveStart({
        done,
        abort(): void {
          aborted = true;
          request.destroy();
          finish();
        },
      });
    });
    request.on('error', (error) => {
      rejectStart(networkError(what, error));
      finish(networkError(what, error));
    });
    request.end();
  });
}
