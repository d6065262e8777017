/**
 * Completion events the informer cache has not caught up with yet. A component operator publishes `ready` right
 * after its status write, and the event usually reaches the main operator before the watch event of that write: a
 * reconcile woken by the event would read the child from the cache as still Provisioning and wait for the watch (or
 * pay a GET). A hint lets it start the next step at once, from what the event says.
 *
 * A hint stands for the child only while the cache has not caught up and nothing newer contradicts it:
 * - it names the same object (uid) at the same generation the cache shows, and the cache does not show it Ready yet
 *   (then the hint is dropped: the cache is trusted again). A newer resourceVersion alone does not end it: the watch
 *   may still deliver the child's earlier status writes (e.g. Provisioning with its endpoint) before the Ready one,
 *   and acting on those would make the step flap between Ready and Running;
 * - a later `failed` or `progressing` event about the child drops it (the stream keeps a child's events in order);
 * - it is younger than `ttlMs`: a replayed old event after a restart, or a lost `failed` event, cannot keep a stale
 *   "Ready" alive (the reconcile that used a hint requeues itself after `ttlMs` and then reads the cache alone).
 */
import type { Condition, KubeObject } from '#shared/kube/types.ts';
import type { NimbusEvent } from '#shared/bus/types.ts';
import { setCondition } from '#shared/objects/index.ts';

/** How long a hint may stand in for the cache (default). */
export const defaultHintTtlMs = 2000;

interface Hint {
  uid: string;
  generation: number;
  observedGeneration: number;
  reason: string;
  message: string;
  receivedAtMs: number;
}

function childKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** The `ready` completion events of child CRs, until the cache shows what they said. */
export class CompletionHints {
  private readonly hints = new Map<string, Hint>();
  private readonly ttlMs: number;

  constructor(ttlMs: number = defaultHintTtlMs) {
    this.ttlMs = ttlMs;
  }

  /** How many hints are held (tests: none are left behind). */
  get size(): number { return this.hints.size; }

  /** The time after which a reconcile that used a hint must look again. */
  get recheckAfterMs(): number { return this.ttlMs; }

  /** Takes a completion event. */
  record(event: NimbusEvent, nowMs: number): void {
    const { ref, generation, observedGeneration, reason, message } = event.data;
    const key = childKey(ref.kind, ref.namespace, ref.name);
    if (event.data.phase !== 'ready' || observedGeneration < generation) {
      this.hints.delete(key);
      return;
    }
    this.hints.set(key, { uid: ref.uid, generation, observedGeneration, reason, message, receivedAtMs: nowMs });
  }

  /**
   * `child` as the cache shows it, or, when a hint still stands for it, with the event's Ready status laid over it.
   * Drops hints that no longer stand.
   */
  overlay(child: KubeObject, nowMs: number, nowIso: string): { child: KubeObject; hinted: boolean } {
    const key = childKey(child.kind, child.metadata.namespace, child.metadata.name ?? '');
    const hint = this.hints.get(key);
    if (!hint) return { child, hinted: false };
    const status = record(child['status']);
    const stands = hint.uid === child.metadata.uid
      && hint.generation === (child.metadata.generation ?? 0)
      && status['phase'] !== 'Ready'
      && nowMs - hint.receivedAtMs < this.ttlMs;
    if (!stands) {
      this.hints.delete(key);
      return { child, hinted: false };
    }
    const ready = { type: 'Ready', status: 'True', reason: hint.reason, message: hint.message } as const;
    const conditions = setCondition(status['conditions'] as Condition[] | undefined, ready, nowIso);
    return {
      child: { ...child, status: { ...status, phase: 'Ready', observedGeneration: hint.observedGeneration, conditions } },
      hinted: true,
    };
  }

  /** Forgets the hints about children named `name` (the child CRs of a tenant carry its name; the tenant is gone). */
  forgetChildrenNamed(name: string): void {
    for (const key of this.hints.keys()) if (key.split('/')[2] === name) this.hints.delete(key);
  }
}
