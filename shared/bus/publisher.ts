/**
 * The publish side of the bus, free of NATS: a bounded in-memory queue drained in order by one background pump,
 * in small concurrent batches. A failed event stays queued and is retried with backoff; the server de-duplicates
 * by message id, so a retry of an event that did arrive is harmless.
 */
import type { Logger } from '#shared/observability/logger.ts';
import type { BusCounters } from './counters.ts';
import { messageId, subjectOf } from './envelope.ts';
import { backoffMs, type Signal } from './signal.ts';
import type { NimbusEvent } from './types.ts';

export interface QueuedEvent { subject: string; id: string; payload: string }

export interface PublisherOptions {
  log: Logger;
  counters: BusCounters;
  /** Woken on reconnect / mode change / close, so a waiting pump does not sleep through them. */
  signal: Signal;
  maxQueued: number;
  /** Send one event; resolve once the server accepted it. */
  send(item: QueuedEvent): Promise<void>;
  /** True while sending makes sense (connected, mode known). */
  canSend(): boolean;
  /** True once the bus is closed for good: the pump stops. */
  isClosed(): boolean;
  /** Called after repeated failures while connected (e.g. re-create a stream that vanished with a wiped server). */
  onRepeatedFailure(): void;
}

const batchSize = 64;

export interface Publisher {
  enqueue(event: NimbusEvent): void;
  pending(): number;
  /** Wait until the queue is empty, the connection is gone, or the deadline passes. */
  drain(deadlineMs: number): Promise<void>;
}

export function createPublisher(options: PublisherOptions): Publisher {
  const { log, counters, signal } = options;
  const queue: QueuedEvent[] = [];
  let pumping: Promise<void> | undefined;

  async function pump(): Promise<void> {
    let attempt = 0;
    while (queue.length > 0 && !options.isClosed()) {
      if (!options.canSend()) {
        await signal.wait(1_000);
        continue;
      }
      const batch = queue.slice(0, batchSize);
      const results = await Promise.allSettled(batch.map((item) => options.send(item)));
      const sent = new Set(batch.filter((_, i) => results[i]?.status === 'fulfilled'));
      if (sent.size > 0) {
        const rest = queue.filter((item) => !sent.has(item));
        queue.length = 0;
        for (const item of rest) queue.push(item);
      }
      if (sent.size === batch.length) { attempt = 0; continue; }
      attempt++;
      counters.publishRetries += batch.length - sent.size;
      const first = results.find((r) => r.status === 'rejected');
      log.warn({ err: first?.reason, pending: queue.length, attempt }, 'publishing events failed; retrying');
      if (attempt >= 3) options.onRepeatedFailure();
      await signal.wait(backoffMs(attempt));
    }
  }

  function kick(): void {
    pumping ??= pump().finally(() => {
      pumping = undefined;
      if (queue.length > 0 && !options.isClosed()) kick();
    });
  }

  return {
    enqueue(event) {
      try {
        queue.push({ subject: subjectOf(event), id: messageId(event), payload: JSON.stringify(event) });
      } catch (error) {
        // A malformed event is a bug in the caller, but publishing must never break a reconcile.
        log.error({ err: error }, 'cannot publish a malformed event');
        return;
      }
      if (queue.length > options.maxQueued) {
        queue.shift();
        counters.dropped++;
        if (counters.dropped === 1 || counters.dropped % 1000 === 0) {
          log.warn({ dropped: counters.dropped, maxQueued: options.maxQueued }, 'event queue full: dropped the oldest event');
        }
      }
      kick();
    },
    pending: () => queue.length,
    async drain(deadlineMs) {
      while (queue.length > 0 && options.canSend() && Date.now() < deadlineMs) await signal.wait(50);
    },
  };
}
