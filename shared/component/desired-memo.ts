/**
 * The children a CR's last reconcile computed, reused while what they were computed from is the same. A component
 * CR is reconciled several times while it settles (one per wave of its children's watch events), mostly with the
 * same inputs (a StatefulSet's status moved on, nothing `desired` reads): rendering the templates again was the
 * costliest part of those reconciles. The operator says what its `desired` reads (`ComponentDefinition.desiredInputs`);
 * the memo keeps, per CR, the digest of that and the children computed from it.
 *
 * The children are shared between reconciles: the skeleton never changes them (it applies copies with its owner
 * reference). Bounded (least recently used goes first), and a CR that settled is dropped a little later (`settled`):
 * its next reconcile is rare and computes again.
 */
import { digestOf } from '#shared/watch/transform.ts';
import type { DesiredChildren } from './types.ts';

export class DesiredMemo {
  private readonly entries = new Map<string, { inputs: string; children: DesiredChildren; settledAtMs?: number }>();
  private readonly limit: number;
  private readonly settledTtlMs: number;
  private lastSweepMs = 0;
  hits = 0;
  misses = 0;

  /**
   * `limit`: CRs remembered at most (each holds its children, ~10–25 KiB: 256 cost at most ~6 MiB). `settledTtlMs`:
   * how long a settled CR's children stay (the events of its last writes still reconcile it a few times after it
   * became Ready).
   */
  constructor(limit = 256, settledTtlMs = 10_000) {
    this.limit = limit;
    this.settledTtlMs = settledTtlMs;
    // An idle operator makes no `get` that would sweep: its settled CRs' children must not stay for good.
    setInterval(() => this.sweep(Date.now()), settledTtlMs).unref();
  }

  get size(): number { return this.entries.size; }

  /** The children for `inputs` (a JSON value): those of the last call for `key` when its inputs were equal, else `compute()`. */
  get(key: string, inputs: unknown, compute: () => DesiredChildren, nowMs = Date.now()): DesiredChildren {
    this.sweep(nowMs);
    const digest = digestOf(inputs);
    const known = this.entries.get(key);
    this.entries.delete(key);
    if (known?.inputs === digest) {
      this.hits++;
      this.entries.set(key, { inputs: digest, children: known.children });
      return known.children;
    }
    this.misses++;
    const children = compute();
    if (this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { inputs: digest, children });
    return children;
  }

  /** `key` settled: its children go after `settledTtlMs` unless it is reconciled with other inputs meanwhile. */
  settled(key: string, nowMs = Date.now()): void {
    const entry = this.entries.get(key);
    if (entry) entry.settledAtMs = nowMs;
  }

  /** `key` is gone (deleted, being deleted): forget its children now. */
  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Drops the children of CRs settled more than `settledTtlMs` ago (at most once a second: a walk of the memo). */
  private sweep(nowMs: number): void {
    if (nowMs - this.lastSweepMs < 1000) return;
    this.lastSweepMs = nowMs;
    for (const [key, entry] of this.entries) {
      if (entry.settledAtMs !== undefined && nowMs - entry.settledAtMs >= this.settledTtlMs) this.entries.delete(key);
    }
  }
}

/**
 * What of a CR a `desired` may read: everything but its status and the bookkeeping that changes without the object
 * changing (resourceVersion, managedFields). For `desiredInputs`.
 */
export function crInputs(cr: { metadata: object; [key: string]: unknown }): unknown {
  const { status: _status, ...rest } = cr;
  const { resourceVersion: _rv, managedFields: _mf, ...metadata } = cr.metadata as Record<string, unknown>;
  return { ...rest, metadata };
}
