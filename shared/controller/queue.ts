/**
 * The per-key work queue (client-go's workqueue semantics, no I/O). A key waits at most once; a key being processed
 * is never handed to a second worker; a key added while processing is queued again when processing is done. Failed
 * keys come back after a per-key exponential backoff; delayed adds of one key collapse to the earliest, and what a
 * finished reconcile asks for (`replaceAfter`) replaces them.
 */
import { backoffDelayMs, defaultBackoff } from './backoff.ts';
import type { BackoffOptions } from './backoff.ts';

export interface WorkQueueOptions {
  backoff?: BackoffOptions | undefined;
  /** For tests: a deterministic jitter source. */
  random?: (() => number) | undefined;
  /** Told whenever the number of waiting keys changes (the work queue depth metric). */
  onDepth?: ((depth: number) => void) | undefined;
  /** Told for every add that queued a key (the work queue adds metric). */
  onAdd?: (() => void) | undefined;
}

export class WorkQueue {
  private readonly waiting: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly delayed = new Map<string, { atMs: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private readonly getters: Array<(key: string | undefined) => void> = [];
  private readonly backoff: BackoffOptions;
  private readonly random: () => number;
  private readonly onDepth: (depth: number) => void;
  private readonly onAdd: () => void;
  private shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.backoff = options.backoff ?? defaultBackoff;
    this.random = options.random ?? Math.random;
    this.onDepth = options.onDepth ?? (() => {});
    this.onAdd = options.onAdd ?? (() => {});
  }

  /** True after shutDown(). */
  get isShutDown(): boolean { return this.shuttingDown; }

  /** Keys waiting to be processed (not counting delayed or in-flight ones). */
  get depth(): number { return this.waiting.length; }
  /** Keys currently handed to a worker. */
  get inFlight(): number { return this.processing.size; }
  /** Keys scheduled for later. */
  get delayedCount(): number { return this.delayed.size; }

  /** Queue `key` now. A no-op when it already waits; deferred until `done` when it is being processed. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    this.onAdd();
    if (this.processing.has(key)) return;
    this.push(key);
  }

  /** Queue `key` after `delayMs`; of several delayed adds of one key, the earliest wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) { this.add(key); return; }
    const atMs = Date.now() + delayMs;
    const existing = this.delayed.get(key);
    if (existing && existing.atMs <= atMs) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => { this.delayed.delete(key); this.add(key); }, delayMs);
    timer.unref();
    this.delayed.set(key, { atMs, timer });
  }

  /**
   * What a finished reconcile of `key` asks for replaces what earlier ones asked: any delayed add of `key` is
   * dropped, and `delayMs` (when given) schedules the next. The latest reconcile saw the newest state, so an earlier
   * "look again in 2 s" or a retry after an earlier failure no longer stands (controller-runtime keeps them, which
   * costs a reconcile per superseded request).
   */
  replaceAfter(key: string, delayMs: number | undefined): void {
    const existing = this.delayed.get(key);
    if (existing) {
      clearTimeout(existing.timer);
      this.delayed.delete(key);
    }
    if (delayMs !== undefined) this.addAfter(key, delayMs);
  }

  /**
   * Record a failure of `key` and queue it again after the per-key backoff, or after `retryAfterMs` when the server
   * asked for longer. `backoff` replaces the queue's for this retry (conflicts retry sooner). Returns the delay used.
   */
  retry(key: string, retryAfterMs?: number, backoff: BackoffOptions = this.backoff): number {
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    const delayMs = Math.max(retryAfterMs ?? 0, backoffDelayMs(failures, backoff, this.random));
    this.addAfter(key, delayMs);
    return delayMs;
  }

  /** Reset the failure count of `key` (it succeeded, or failed terminally). */
  forget(key: string): void { this.failures.delete(key); }

  /** How often `key` failed in a row. */
  failuresOf(key: string): number { return this.failures.get(key) ?? 0; }

  /** The next key to process, waiting for one; `undefined` once shut down. The caller must call `done(key)`. */
  get(): Promise<string | undefined> {
    const key = this.waiting.shift();
    if (key !== undefined) {
      this.onDepth(this.waiting.length);
      return Promise.resolve(this.take(key));
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Processing of `key` finished: if it was added meanwhile, it waits again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) this.push(key);
  }

  /** Resolve every pending `get()` with `undefined` without shutting down (workers stopping on lost leadership). */
  interruptGetters(): void {
    for (const getter of this.getters.splice(0)) getter(undefined);
  }

  /** Stop handing out keys: pending `get()` calls resolve `undefined`, timers are cleared. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    for (const getter of this.getters.splice(0)) getter(undefined);
  }

  private push(key: string): void {
    const getter = this.getters.shift();
    if (getter) { getter(this.take(key)); return; }
    this.waiting.push(key);
    this.onDepth(this.waiting.length);
  }

  private take(key: string): string {
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }
}
