/**
 * `nimbus events`' access to the NIMBUS_EVENTS stream: the bus event reader (shared/bus/reader.ts, ordered
 * consumer from the start of the stream), with its failures turned into CliErrors (one message, exit 1).
 */
import { readEvents as readBusEvents } from '#shared/bus/nats-reader.ts';
import { EventReaderError, type ReadEventsOptions, type ReadEventsResult } from '#shared/bus/reader.ts';
import { CliError } from './errors.ts';

export type { StreamedEvent, ReadEventsOptions, ReadEventsResult } from '#shared/bus/reader.ts';

/** Deliver every stored event (and, with `follow`, every new one) in order; reader failures become CliErrors. */
export async function readEvents(options: ReadEventsOptions): Promise<ReadEventsResult> {
  try {
    return await readBusEvents({ name: 'nimbus-cli', ...options });
  } catch (error) {
    if (error instanceof EventReaderError) throw new CliError(error.message, { cause: error });
    throw error;
  }
}
