/**
 * Fault injection for reliability tests: fail the next N matching requests with a Status code, drop or stall the
 * open watches, add latency to every request. Also counts requests (by verb) for benchmarks.
 */
import type { StatusBody } from '#sim/types.ts';
import { failure } from '#sim/server/status.ts';
import type { WatchHub } from '#sim/server/watch.ts';

/** Which requests to fail and how. */
export interface FailRule {
  /** HTTP method (GET, POST, PUT, PATCH, DELETE); any when absent. */
  method?: string;
  /** The path (without query) starts with this. */
  pathPrefix?: string;
  /** The path (without query) matches this. */
  pathRegex?: RegExp;
  /** How many matching requests fail. */
  count: number;
  /** 429, 500, 503, 504, ... */
  code: number;
  /** Sent as `Retry-After` and `details.retryAfterSeconds`. */
  retryAfterSeconds?: number;
}

/** Requests served, by Kubernetes verb (get, list, watch, create, update, patch, delete, deletecollection). */
export type RequestStats = Record<string, number>;

function statusFor(code: number, retryAfterSeconds: number | undefined): StatusBody {
  const details = retryAfterSeconds !== undefined ? { retryAfterSeconds } : undefined;
  switch (code) {
    case 429: return failure(429, 'TooManyRequests', 'Too many requests, please try again later.', details ?? {});
    case 500: return failure(500, 'InternalError', 'Internal error occurred: injected fault', details);
    case 503: return failure(503, 'ServiceUnavailable', 'the server is currently unable to handle the request', details);
    case 504: return failure(504, 'Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request', details);
    case 409: return failure(409, 'Conflict', 'Operation cannot be fulfilled: injected conflict', details);
    default: return failure(code, 'Unknown', `injected fault ${code}`, details);
  }
}

export class Faults {
  private rules: FailRule[] = [];
  private latency = 0;
  /** Total requests served (including failed ones). */
  requestCount = 0;
  /** Requests by verb. */
  stats: RequestStats = {};
  private readonly hub: WatchHub;

  constructor(hub: WatchHub) {
    this.hub = hub;
  }

  /** Fails the next `count` matching requests with `code`. Rules are consumed in the order they were added. */
  failNext(rule: FailRule): void {
    this.rules.push({ ...rule });
  }

  /** Destroys every open watch connection. */
  dropWatches(): void {
    this.hub.dropAll();
  }

  /** Keeps watches open but sends nothing (not even bookmarks) while on; held events are sent when turned off. */
  stallWatches(on: boolean): void {
    this.hub.stall(on);
  }

  /** Delays every request by this many milliseconds. */
  setLatencyMs(ms: number): void {
    this.latency = Math.max(0, ms);
  }

  get latencyMs(): number {
    return this.latency;
  }

  /** Number of currently open watches. */
  get openWatches(): number {
    return this.hub.open.size;
  }

  /** Clears rules, latency and stalls (not the counters). */
  reset(): void {
    this.rules = [];
    this.latency = 0;
    this.hub.stall(false);
  }

  /** Clears the request counters. */
  resetStats(): void {
    this.requestCount = 0;
    this.stats = {};
  }

  /** Called by the server for each request: counts it and answers the injected failure, if any. */
  intercept(method: string, path: string, verb: string): StatusBody | undefined {
    this.requestCount++;
    this.stats[verb] = (this.stats[verb] ?? 0) + 1;
    const i = this.rules.findIndex((r) =>
      (!r.method || r.method.toUpperCase() === method)
      && (!r.pathPrefix || path.startsWith(r.pathPrefix))
      && (!r.pathRegex || r.pathRegex.test(path)));
    if (i < 0) return undefined;
    const rule = this.rules[i]!;
    rule.count--;
    if (rule.count <= 0) this.rules.splice(i, 1);
    return statusFor(rule.code, rule.retryAfterSeconds);
  }
}
