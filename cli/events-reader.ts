/**
 * Reads the NIMBUS_EVENTS stream from its start through an ordered (ephemeral, unacknowledged) consumer.
 *
 * This file imports `@nats-io/*` directly, which the design reserves for shared/bus/nats.ts: the Bus contract only
 * offers durable, acknowledging subscriptions (right for operators, wrong for a viewer, which must neither leave a
 * durable consumer behind nor consume anyone's messages) and cannot tell when the stream's backlog is exhausted
 * (needed to print what is there and exit). It belongs in shared/bus as a "read from start" function.
 */
import { connect } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { parseEvent, subjectPrefix } from '#shared/bus/envelope.ts';
import { streamName } from '#shared/bus/nats.ts';
import type { NimbusEvent } from '#shared/bus/types.ts';
import { CliError } from './errors.ts';

export interface StreamedEvent {
  /** The NATS subject it was published on. */
  subject: string;
  /** The stream sequence number. */
  seq: number;
  /** The raw payload (what `--json` prints). */
  json: string;
  /** The parsed envelope; undefined when the payload is not a Nimbus event. */
  event: NimbusEvent | undefined;
}

export interface ReadEventsOptions {
  url: string;
  /** Keep reading new events until `signal` aborts; otherwise stop after the last stored one. */
  follow: boolean;
  signal?: AbortSignal | undefined;
  onEvent: (event: StreamedEvent) => void;
  /** Connection timeout (default 3 000 ms). */
  connectTimeoutMs?: number;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

/** Deliver every stored event (and, with `follow`, every new one) in order. Resolves with the number delivered. */
export async function readEvents(options: ReadEventsOptions): Promise<number> {
  const nc = await connect({ servers: options.url, name: 'nimbus-cli', timeout: options.connectTimeoutMs ?? 3000 })
    .catch((error: unknown) => {
      throw new CliError(`cannot connect to NATS at ${options.url}: ${(error as Error).message}`, { cause: error });
    });
  let count = 0;
  try {
    const jsm = await jetstreamManager(nc).catch((error: unknown) => {
      throw new CliError(`JetStream is not available at ${options.url}: ${(error as Error).message}`, { cause: error });
    });
    const info = await jsm.streams.info(streamName).catch((error: unknown) => {
      if (errorName(error) === 'StreamNotFoundError') {
        throw new CliError(`no ${streamName} stream at ${options.url} yet (it is created when an operator connects)`, { cause: error });
      }
      throw error;
    });
    if (!options.follow && info.state.messages === 0) return 0;
    const consumer = await jetstream(nc).consumers.get(streamName, {
      filter_subjects: `${subjectPrefix}.>`, deliver_policy: DeliverPolicy.All,
    });
    const messages = await consumer.consume();
    const abort = (): void => { void messages.close(); };
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      for await (const msg of messages) {
        const json = msg.string();
        count++;
        options.onEvent({ subject: msg.subject, seq: msg.seq, json, event: parseEvent(json) });
        if (!options.follow && msg.info.pending === 0) break;
      }
    } finally {
      options.signal?.removeEventListener('abort', abort);
      await messages.close();
    }
    return count;
  } finally {
    await nc.close();
  }
}
