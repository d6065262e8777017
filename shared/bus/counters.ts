/** Bus counters: cheap numbers for benchmarks and tests, independent of the Prometheus registry. */

export interface BusCounters {
  /** Events accepted by the server (JetStream ack, or written to the socket in core mode). */
  published: number;
  /** JetStream answered `duplicate: true`: a retried or repeated `<uid>/<generation>/<phase>` was stored once. */
  deduplicated: number;
  /** Publish attempts that failed and were retried. */
  publishRetries: number;
  /** Events dropped because the in-memory queue was full (oldest first). */
  dropped: number;
  /** Messages delivered to subscription handlers (including redeliveries). */
  received: number;
  /** Deliveries JetStream marked as redelivered. */
  redelivered: number;
  /** Handler failures (the message was nak'ed with a delay, or logged in core mode). */
  handlerErrors: number;
  /** Payloads that were not a Nimbus event (acknowledged and skipped). */
  malformed: number;
  /** Events handled on the early (core NATS) path of an `early` subscription, before the consumer delivered them. */
  handledEarly: number;
}

export function createCounters(): BusCounters {
  return {
    published: 0, deduplicated: 0, publishRetries: 0, dropped: 0,
    received: 0, redelivered: 0, handlerErrors: 0, malformed: 0, handledEarly: 0,
  };
}

/**
 * Optional hooks into process metrics; the observability `Metrics` object satisfies this shape, so the bus does not
 * depend on prom-client.
 */
export interface BusMetricsHook {
  eventPublished(): void;
  eventReceived(): void;
}
