/**
 * The event-reader contract: read NIMBUS_EVENTS from its start, learn when the stored backlog is exhausted, and
 * optionally keep following. For viewers (`nimbus events`, dashboards, tests): unlike `Bus.subscribe` it leaves no
 * durable consumer behind and acknowledges nothing, so it never takes events away from an operator.
 * The NATS implementation is `readEvents` in ./nats-reader.ts.
 */
import type { NimbusEvent } from './types.ts';

/** One message read from the stream. */
export interface StreamedEvent {
  /** The NATS subject it was published on. */
  subject: string;
  /** The stream sequence number; undefined in core-NATS mode (no stream). */
  seq: number | undefined;
  /** The raw payload as published. */
  json: string;
  /** The parsed envelope; undefined when the payload is not a Nimbus event. */
  event: NimbusEvent | undefined;
}

/**
 * `jetstream`: the backlog was read from the stream. `core`: the server has no JetStream, so there is no backlog and
 * only events published while following are seen.
 */
export type ReaderMode = 'jetstream' | 'core';

export interface ReadEventsOptions {
  /** `nats://` or `tls://` URL. */
  url: string;
  /** NATS subject filter with wildcards (default `nimbus.events.>`, the whole stream). */
  filter?: string | undefined;
  /** Keep delivering new events after the backlog until `signal` aborts; otherwise stop at the end of the backlog. */
  follow: boolean;
  /** Stops reading (the promise then resolves normally). */
  signal?: AbortSignal | undefined;
  /** Called once per event, in stream order. */
  onEvent: (event: StreamedEvent) => void;
  /** Called once when every event stored at the start has been delivered (`count` of them; at once in core mode). */
  onBacklogDone?: ((done: { count: number; mode: ReaderMode }) => void) | undefined;
  /** Connection name in NATS monitoring (default `nimbus-reader`). */
  name?: string | undefined;
  /** Connection timeout (default 3 000 ms). */
  connectTimeoutMs?: number | undefined;
}

export interface ReadEventsResult {
  /** Events delivered to `onEvent`. */
  count: number;
  mode: ReaderMode;
}

export type EventReaderFailure = 'unreachable' | 'no-stream' | 'lost';

/** Why reading failed: the server cannot be reached, the stream does not exist yet, or the connection was lost. */
export class EventReaderError extends Error {
  override name = 'EventReaderError';
  readonly failure: EventReaderFailure;
  constructor(message: string, failure: EventReaderFailure, options?: ErrorOptions) {
    super(message, options);
    this.failure = failure;
  }
}
