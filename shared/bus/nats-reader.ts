/**
 * The NATS implementation of the event reader (./reader.ts). Part of the NATS adapter: with ./nats.ts, the only
 * files that import `@nats-io/*`.
 *
 * JetStream: an ordered consumer (ephemeral, in memory, no acks, deleted when done) from the first stored event. The
 * backlog is what the consumer had pending when it was created; its end is the first message after which nothing is
 * pending. Core NATS (no JetStream on the server): nothing is stored, so the backlog is empty and only live events
 * arrive while following.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { redactValue } from '#shared/config/errors.ts';
import { parseEvent, subjectPrefix } from './envelope.ts';
import { isJetStreamUnavailable, streamName } from './nats.ts';
import { EventReaderError, type ReadEventsOptions, type ReadEventsResult, type StreamedEvent } from './reader.ts';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function streamed(subject: string, seq: number | undefined, json: string): StreamedEvent {
  return { subject, seq, json, event: parseEvent(json) };
}

/** Run `stop` when `signal` aborts (at once if it already has); returns the un-registration. */
function onAbort(signal: AbortSignal | undefined, stop: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) { stop(); return () => {}; }
  signal.addEventListener('abort', stop, { once: true });
  return () => signal.removeEventListener('abort', stop);
}

async function readJetStream(nc: NatsConnection, jsm: JetStreamManager, filter: string, options: ReadEventsOptions): Promise<ReadEventsResult> {
  const stream = await jsm.streams.info(streamName).catch((error: unknown) => {
    if (error instanceof Error && error.name === 'StreamNotFoundError') {
      throw new EventReaderError(`no ${streamName} stream at ${redactValue(options.url)} yet (it is created when an operator connects)`, 'no-stream', { cause: error });
    }
    throw error;
  });
  let count = 0;
  let backlogDone = false;
  const finishBacklog = (): void => {
    backlogDone = true;
    options.onBacklogDone?.({ count, mode: 'jetstream' });
  };
  if (stream.state.messages === 0) {
    finishBacklog();
    if (!options.follow) return { count, mode: 'jetstream' };
  }
  const consumer = await jetstream(nc).consumers.get(streamName, { filter_subjects: filter, deliver_policy: DeliverPolicy.All });
  try {
    // Cached: the info returned when the consumer was created, i.e. what was stored (and matched) at that moment.
    if (!backlogDone && (await consumer.info(true)).num_pending === 0) finishBacklog();
    if (backlogDone && !options.follow) return { count, mode: 'jetstream' };
    const messages = await consumer.consume({ max_messages: 256 });
    const unregister = onAbort(options.signal, () => { void messages.close(); });
    try {
      for await (const msg of messages) {
        count++;
        options.onEvent(streamed(msg.subject, msg.seq, msg.string()));
        if (!backlogDone && (msg.info.pending === 0 || msg.seq >= stream.state.last_seq)) {
          finishBacklog();
          if (!options.follow) break;
        }
      }
    } finally {
      unregister();
      await messages.close();
    }
    if (options.follow && !options.signal?.aborted) {
      throw new EventReaderError(`the connection to NATS at ${redactValue(options.url)} was lost`, 'lost');
    }
    return { count, mode: 'jetstream' };
  } finally {
    // The server would drop it after 5 minutes of inactivity anyway; do not leave it listed until then.
    await consumer.delete().catch(() => false);
  }
}

async function readCore(nc: NatsConnection, filter: string, options: ReadEventsOptions): Promise<ReadEventsResult> {
  options.onBacklogDone?.({ count: 0, mode: 'core' });
  if (!options.follow) return { count: 0, mode: 'core' };
  let count = 0;
  const sub = nc.subscribe(filter);
  const unregister = onAbort(options.signal, () => sub.unsubscribe());
  try {
    for await (const msg of sub) {
      count++;
      options.onEvent(streamed(msg.subject, undefined, msg.string()));
    }
  } finally {
    unregister();
    sub.unsubscribe();
  }
  if (!options.signal?.aborted) throw new EventReaderError(`the connection to NATS at ${redactValue(options.url)} was lost`, 'lost');
  return { count, mode: 'core' };
}

/**
 * Deliver every stored event matching `filter`, oldest first, call `onBacklogDone`, then with `follow` every new
 * one until `signal` aborts. Resolves with the number delivered and the mode; rejects with `EventReaderError` when
 * the server is unreachable, the stream does not exist yet, or the connection is lost while following.
 */
export async function readEvents(options: ReadEventsOptions): Promise<ReadEventsResult> {
  const filter = options.filter ?? `${subjectPrefix}.>`;
  const nc = await connect({ servers: options.url, name: options.name ?? 'nimbus-reader', timeout: options.connectTimeoutMs ?? 3000 })
    .catch((error: unknown) => {
      throw new EventReaderError(`cannot connect to NATS at ${redactValue(options.url)}: ${message(error)}`, 'unreachable', { cause: error });
    });
  try {
    const jsm = await jetstreamManager(nc).catch((error: unknown) => {
      if (isJetStreamUnavailable(error)) return undefined;
      throw error;
    });
    return jsm ? await readJetStream(nc, jsm, filter, options) : await readCore(nc, filter, options);
  } finally {
    await nc.close();
  }
}
