/**
 * The change history of one resource, what a watch from a past resourceVersion replays.
 *
 * Policy (the sim's stand-in for the watch cache and etcd compaction):
 * - at most `maxEntries` changes per resource are kept (the watch cache window);
 * - when `maxAgeMs` is set, changes older than that are dropped too (etcd compaction; used for Events, which
 *   bypass the watch cache in kube-apiserver, so that a watch from an old resourceVersion expires within seconds).
 * A watch from a resourceVersion older than the newest dropped change is answered with 410 Expired.
 */
import type { KubeObject } from '#shared/kube/types.ts';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change of one object. Objects are never mutated once stored, so events hold plain references. */
export interface StoreEvent {
  type: EventType;
  object: KubeObject;
  /** The object before the change (MODIFIED/DELETED), to turn selector transitions into ADDED/DELETED. */
  prev: KubeObject | undefined;
  rv: number;
  /** Storage key `group/plural`. */
  key: string;
  atMs: number;
}

export class History {
  private entries: StoreEvent[] = [];
  private head = 0;
  /** resourceVersion of the newest change dropped: watches from before it are too old. */
  compactedRv = 0;
  private readonly maxEntries: number;
  private readonly maxAgeMs: number | undefined;

  constructor(maxEntries: number, maxAgeMs: number | undefined) {
    this.maxEntries = maxEntries;
    this.maxAgeMs = maxAgeMs;
  }

  append(ev: StoreEvent): void {
    this.entries.push(ev);
    this.compact(ev.atMs);
  }

  /** Drops what the policy no longer keeps. */
  compact(nowMs: number): void {
    while (this.entries.length - this.head > this.maxEntries) this.drop();
    if (this.maxAgeMs !== undefined) {
      const limit = nowMs - this.maxAgeMs;
      while (this.head < this.entries.length && this.entries[this.head]!.atMs < limit) this.drop();
    }
    // Reclaim the array now and then instead of shifting on every drop (O(1) amortized).
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  private drop(): void {
    const ev = this.entries[this.head]!;
    this.compactedRv = ev.rv;
    this.entries[this.head] = undefined as unknown as StoreEvent;
    this.head++;
  }

  /** Changes after `rv`, or undefined when `rv` is too old (410). */
  since(rv: number, nowMs: number): StoreEvent[] | undefined {
    this.compact(nowMs);
    if (rv < this.compactedRv) return undefined;
    // Binary search for the first entry with rv > the given one.
    let lo = this.head;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid]!.rv <= rv) lo = mid + 1; else hi = mid;
    }
    return this.entries.slice(lo);
  }
}
