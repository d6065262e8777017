/**
 * Kubernetes Events (core/v1) about a reconciled object, what `kubectl describe` shows. Recording an Event never
 * fails a reconcile: a failure is logged and dropped.
 *
 * Repeats are aggregated as client-go's EventRecorder does: the same Event (involved object uid, type, reason,
 * message, reporting controller) recorded again within `eventAggregationWindowMs` bumps `count` and
 * `lastTimestamp` of the Event already written (a merge patch) instead of creating another, so an object that
 * fails and is retried with backoff shows one `Warning … (x12 over 5m)` rather than flooding its namespace. What was
 * written is remembered per client (an LRU of `maxRememberedEvents`), like client-go's per-broadcaster cache.
 */
import type { KubeClient, KubeObject } from '#shared/kube/types.ts';
import { NotFoundError } from '#shared/kube/errors.ts';
import type { Logger } from '#shared/observability/logger.ts';
import { systemClock } from '#shared/clock/index.ts';
import type { Clock } from '#shared/clock/index.ts';
import { digestOf } from '#shared/watch/transform.ts';

export interface EventInput {
  type: 'Normal' | 'Warning';
  /** UpperCamelCase, e.g. `Ready`, `InvalidSpec`. */
  reason: string;
  message: string;
  /** e.g. `nimbus-couchdb` */
  reportingController: string;
}

/** A repeat later than this after the last one starts a new Event (client-go's aggregation window: 10 minutes). */
export const eventAggregationWindowMs = 10 * 60_000;
/** How many distinct Events a client remembers for aggregation (client-go: 4096). */
export const maxRememberedEvents = 4096;
/** Longest message stored (the API server refuses much longer ones). */
const maxMessageChars = 1024;

/** An Event this process wrote: where it is and how often it was recorded. */
interface Written {
  namespace: string;
  name: string;
  count: number;
  lastSeenMs: number;
}

interface Memory {
  /** Insertion order is recency order: a hit is re-inserted, the first key is the least recently used. */
  written: Map<string, Written>;
  /** The record in progress per key: repeats of one Event are written one after another, never racing. */
  pending: Map<string, Promise<boolean>>;
}

const memories = new WeakMap<KubeClient, Memory>();

function memoryOf(kube: KubeClient): Memory {
  let memory = memories.get(kube);
  if (!memory) {
    memory = { written: new Map(), pending: new Map() };
    memories.set(kube, memory);
  }
  return memory;
}

/**
 * What makes two Events "the same" (client-go's `getEventKey`, without resourceVersion, which moves on every write),
 * as a short digest: the memory keeps 16 characters per Event, not its message.
 */
function keyOf(object: KubeObject, event: EventInput, message: string): string {
  const { name, namespace, uid } = object.metadata;
  return digestOf([event.reportingController, object.apiVersion, object.kind, namespace, name, uid, event.type, event.reason, message]);
}

function remember(memory: Memory, key: string, written: Written): void {
  memory.written.delete(key);
  memory.written.set(key, written);
  // Least recently seen first: drop what is over the limit or out of the aggregation window (a repeat of it would
  // start a new Event anyway), so a quiet operator holds nothing of the Events of tenants long done or deleted.
  for (const [oldest, entry] of memory.written) {
    if (memory.written.size <= maxRememberedEvents && written.lastSeenMs - entry.lastSeenMs <= eventAggregationWindowMs) break;
    memory.written.delete(oldest);
  }
}

/** Disambiguates Event names created in the same microsecond by this process (client-go uses nanoseconds). */
let eventSequence = 0;

/** How many Events the aggregation memory of `kube` holds (diagnostics and tests). */
export function rememberedEventCount(kube: KubeClient): number {
  return memories.get(kube)?.written.size ?? 0;
}

/**
 * Records an Event about `object`: creates it, or bumps the count of the same Event recorded within the window.
 * Resolves `true` when recorded, `false` when it could not be (logged); never rejects.
 */
export function recordEvent(
  kube: KubeClient, object: KubeObject, event: EventInput, log?: Logger, clock: Clock = systemClock,
): Promise<boolean> {
  const memory = memoryOf(kube);
  const message = event.message.slice(0, maxMessageChars);
  const key = keyOf(object, event, message);
  const previous = memory.pending.get(key) ?? Promise.resolve(true);
  const current = previous.then(() => record(kube, memory, key, object, { ...event, message }, log, clock));
  memory.pending.set(key, current);
  void current.finally(() => {
    if (memory.pending.get(key) === current) memory.pending.delete(key);
  });
  return current;
}

async function record(
  kube: KubeClient, memory: Memory, key: string, object: KubeObject, event: EventInput, log: Logger | undefined, clock: Clock,
): Promise<boolean> {
  try {
    const nowMs = clock.now();
    const now = clock.nowIso();
    const seen = memory.written.get(key);
    if (seen && nowMs - seen.lastSeenMs <= eventAggregationWindowMs) {
      const count = seen.count + 1;
      try {
        await kube.patch({ apiVersion: 'v1', kind: 'Event', namespace: seen.namespace, name: seen.name }, { count, lastTimestamp: now }, 'merge');
        remember(memory, key, { ...seen, count, lastSeenMs: nowMs });
        return true;
      } catch (error) {
        // Expired (Events live one hour) or deleted: write a new one, as client-go does.
        if (!(error instanceof NotFoundError)) throw error;
        memory.written.delete(key);
      }
    }
    const created = await kube.create(newEvent(object, event, nowMs, now));
    remember(memory, key, { namespace: created.metadata.namespace ?? 'default', name: created.metadata.name ?? '', count: 1, lastSeenMs: nowMs });
    return true;
  } catch (error) {
    log?.warn({ err: error, reason: event.reason }, 'could not record a Kubernetes Event');
    return false;
  }
}

function newEvent(object: KubeObject, event: EventInput, nowMs: number, now: string): KubeObject {
  const { name = '', namespace, uid, resourceVersion } = object.metadata;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${name}.${(nowMs * 1000 + (eventSequence++ % 1000)).toString(16)}`, namespace: namespace ?? 'default' },
    involvedObject: { apiVersion: object.apiVersion, kind: object.kind, name, namespace, uid, resourceVersion },
    type: event.type,
    reason: event.reason,
    message: event.message,
    count: 1,
    firstTimestamp: now,
    lastTimestamp: now,
    source: { component: event.reportingController },
    reportingComponent: event.reportingController,
    reportingInstance: event.reportingController,
  };
}
