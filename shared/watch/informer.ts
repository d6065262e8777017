/**
 * List-then-watch for one kind, kept correct under a misbehaving server: resourceVersion advances on every event
 * (bookmarks too), 410 Gone relists and reports the difference, a silent stream is reconnected by a watchdog, failures
 * back off with jitter, and a periodic resync replays the cache. Built on `KubeClient.watch`, not on `makeInformer`.
 */
import { KubeApiError } from '#shared/kube/errors.ts';
import { RetryableError } from '#shared/errors/index.ts';
import type { KindRef, KubeClient, KubeObject, WatchEvent, WatchHandle } from '#shared/kube/types.ts';
import type { Logger } from '#shared/observability/logger.ts';
import { keyOf } from '#shared/controller/types.ts';
import { backoffDelayMs, defaultBackoff } from '#shared/controller/backoff.ts';
import type { BackoffOptions } from '#shared/controller/backoff.ts';
import { MapCache } from './cache.ts';
import type { ObjectCache } from './cache.ts';
import type { ObjectTransform } from './transform.ts';

export type InformerEventType = 'added' | 'modified' | 'deleted' | 'resync';

export interface InformerOptions {
  kube: KubeClient;
  kind: KindRef;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  /** Server-side watch timeout; the server closes the stream and the informer reconnects. Default 300. */
  timeoutSeconds?: number | undefined;
  /** Reconnect when nothing (not even a bookmark) arrived for this long. Default 120 000 (2 × bookmark interval). */
  silenceTimeoutMs?: number | undefined;
  /** Emit `resync` for every cached object this often; 0 or absent: never. */
  resyncMs?: number | undefined;
  backoff?: BackoffOptions | undefined;
  log: Logger;
  /** `previous`: the cached object a `modified` event replaces (only with `withPrevious`). */
  onEvent: (type: InformerEventType, object: KubeObject, previous?: KubeObject) => void;
  /** Pass the replaced object to `onEvent` (it costs a parse of the cached copy per event). */
  withPrevious?: boolean | undefined;
  /**
   * What is kept of each object (client-go's SetTransform): applied after `managedFields` are dropped, before the
   * object is cached and handed to `onEvent` (deleted objects included). See `transform.ts` (`trimPodTemplates`).
   */
  transform?: ObjectTransform | undefined;
}

export interface Informer {
  /** Starts the loop; resolves once the first list is in the cache. */
  start(): Promise<void>;
  stop(): void;
  hasSynced(): boolean;
  readonly cache: ObjectCache;
  /** Counters for tests and diagnostics. */
  readonly stats: { lists: number; watches: number; watchdogReconnects: number; gone: number; failures: number };
}

class GoneError extends Error { override name = 'GoneError'; }

/**
 * A watch that has not even answered its headers within `timeoutMs` counts as failed (the watchdog only covers a
 * stream that started); if it answers later, it is aborted at once.
 */
async function watchWithin(timeoutMs: number, starting: Promise<WatchHandle>): Promise<WatchHandle> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`watch did not start within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([starting, timedOut]);
  } catch (error) {
    starting.then((late) => late.abort(), () => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The object without `metadata.managedFields`: server-side apply bookkeeping that no reconciler reads and that is
 * often larger than the object itself (client-go's informers strip it with a transform for the same reason).
 */
function withoutManagedFields(object: KubeObject): KubeObject {
  if (object.metadata.managedFields === undefined) return object;
  const { managedFields: _managedFields, ...metadata } = object.metadata;
  return { ...object, metadata };
}

export function createInformer(options: InformerOptions): Informer {
  const { kube, kind, log } = options;
  const backoff = options.backoff ?? defaultBackoff;
  const silenceTimeoutMs = options.silenceTimeoutMs ?? 120_000;
  const cache = new MapCache();
  const transform = options.transform;
  const stored = (object: KubeObject): KubeObject => {
    const trimmed = withoutManagedFields(object);
    return transform ? transform(trimmed) : trimmed;
  };
  const stats = { lists: 0, watches: 0, watchdogReconnects: 0, gone: 0, failures: 0 };
  let resourceVersion = '';
  let synced = false;
  let stopped = false;
  let running: Promise<void> | undefined;
  let resyncTimer: NodeJS.Timeout | undefined;
  let interrupt: (() => void) | undefined;
  let resolveSynced: () => void = () => {};
  const syncedPromise = new Promise<void>((resolve) => { resolveSynced = resolve; });

  function emit(type: InformerEventType, object: KubeObject, previous?: KubeObject): void {
    try {
      options.onEvent(type, object, previous);
    } catch (error) {
      log.error({ err: error, kind: kind.kind, type }, 'informer event handler threw');
    }
  }

  const selectors: { labelSelector?: string; fieldSelector?: string } = {};
  if (options.labelSelector) selectors.labelSelector = options.labelSelector;
  if (options.fieldSelector) selectors.fieldSelector = options.fieldSelector;

  async function relist(): Promise<void> {
    stats.lists++;
    const list = await kube.list(kind, selectors);
    const seen = new Set<string>();
    for (const object of list.items) {
      const key = keyOf(object);
      seen.add(key);
      const known = cache.has(key);
      if (known && cache.resourceVersionOf(key) === object.metadata.resourceVersion) continue;
      const previous = known && options.withPrevious ? cache.get(key) : undefined;
      const kept = stored(object);
      cache.set(kept);
      emit(known ? 'modified' : 'added', kept, previous);
    }
    for (const key of cache.keys()) {
      if (seen.has(key)) continue;
      const object = cache.get(key);
      cache.delete(key);
      if (!object) continue;
      emit('deleted', object);
    }
    resourceVersion = list.resourceVersion;
    if (!synced) { synced = true; resolveSynced(); }
  }

  /** Applies one watch event; throws GoneError on 410 and other ERROR events as failures. */
  function apply(event: WatchEvent): void {
    const object = event.object;
    if (event.type === 'ERROR') {
      const code = typeof object['code'] === 'number' ? object['code'] : 0;
      if (code === 410) throw new GoneError('watch resourceVersion expired');
      throw new Error(`watch ERROR event: ${typeof object['message'] === 'string' ? object['message'] : code}`);
    }
    const rv = object.metadata.resourceVersion;
    if (rv) resourceVersion = rv;
    if (event.type === 'BOOKMARK') return;
    const key = keyOf(object);
    const known = cache.has(key);
    if (event.type === 'DELETED') {
      cache.delete(key);
      emit('deleted', stored(object));
      return;
    }
    // A replayed event (same resourceVersion) is not news.
    if (known && cache.resourceVersionOf(key) === rv) return;
    const previous = known && options.withPrevious ? cache.get(key) : undefined;
    const kept = stored(object);
    cache.set(kept);
    emit(known ? 'modified' : 'added', kept, previous);
  }

  /** One watch stream, until the server ends it, it breaks, it goes silent, or stop(). */
  async function watchOnce(): Promise<void> {
    let failure: Error | undefined;
    let lastEventMs = Date.now();
    const interrupted = new Promise<void>((resolve) => { interrupt = resolve; });
    stats.watches++;
    const handle = await watchWithin(silenceTimeoutMs, kube.watch(kind, {
      ...selectors, resourceVersion,
      allowWatchBookmarks: true, timeoutSeconds: options.timeoutSeconds ?? 300,
    }, (event) => {
      lastEventMs = Date.now();
      if (failure) return;
      try {
        apply(event);
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
        interrupt?.();
      }
    }));
    const watchdog = setInterval(() => {
      if (Date.now() - lastEventMs < silenceTimeoutMs) return;
      stats.watchdogReconnects++;
      log.warn({ kind: kind.kind, silenceTimeoutMs }, 'watch silent for too long: reconnecting');
      interrupt?.();
    }, Math.max(10, Math.min(1000, silenceTimeoutMs / 4)));
    try {
      if (!stopped) await Promise.race([handle.done, interrupted]);
    } finally {
      clearInterval(watchdog);
      handle.abort();
    }
    if (failure) throw failure;
  }

  async function run(): Promise<void> {
    let needList = true;
    let failures = 0;
    while (!stopped) {
      try {
        if (needList) { await relist(); needList = false; }
        await watchOnce();
        failures = 0;
      } catch (error) {
        if (stopped) break;
        if (error instanceof GoneError || (error instanceof KubeApiError && error.code === 410)) {
          stats.gone++;
          log.info({ kind: kind.kind }, 'watch expired (410 Gone): relisting');
          needList = true;
          continue;
        }
        failures++;
        stats.failures++;
        const retryAfterMs = error instanceof RetryableError ? error.retryAfterMs ?? 0 : 0;
        const delayMs = Math.max(retryAfterMs, backoffDelayMs(failures, backoff));
        log.warn({ err: error, kind: kind.kind, delayMs }, 'list/watch failed: backing off');
        await sleepUnlessStopped(delayMs);
      }
    }
  }

  function sleepUnlessStopped(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      interrupt = () => { clearTimeout(timer); resolve(); };
    });
  }

  return {
    cache,
    stats,
    hasSynced: () => synced,
    start(): Promise<void> {
      if (!running) {
        running = run();
        if (options.resyncMs) {
          resyncTimer = setInterval(() => { for (const object of cache.list()) emit('resync', object); }, options.resyncMs);
        }
      }
      return syncedPromise;
    },
    stop(): void {
      stopped = true;
      if (resyncTimer) clearInterval(resyncTimer);
      interrupt?.();
    },
  };
}
