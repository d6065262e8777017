/**
 * Records the Nimbus events on a real NATS server, through the shared bus (a JetStream durable consumer that
 * delivers the stream from its start), so tests assert on what a consumer such as the main operator would see.
 */
import { createBus } from '#shared/bus/nats.ts';
import type { Bus, NimbusEvent, Subscription } from '#shared/bus/types.ts';
import { silentLogger } from '#shared/observability/logger.ts';

export interface EventRecorder {
  readonly events: NimbusEvent[];
  /** The recorded events about `namespace/name` of type `dev.nimbus.<kind>.<phase>`. */
  about(kind: string, subject: string, phase?: string): NimbusEvent[];
  stop(): Promise<void>;
}

let durables = 0;

/** Subscribe to `filter` (default every Nimbus event) on the server at `url`. */
export async function recordEvents(url: string, filter = 'nimbus.events.>'): Promise<EventRecorder> {
  const bus: Bus = await createBus({ url, name: 'nimbus-test-recorder', log: silentLogger() });
  const events: NimbusEvent[] = [];
  const subscription: Subscription = await bus.subscribe(`test-recorder-${process.pid}-${++durables}`, filter, (event) => {
    events.push(event);
  });
  return {
    events,
    about: (kind, subject, phase) => events.filter((e) =>
      e.subject === subject && e.type.startsWith(`dev.nimbus.${kind.toLowerCase()}.`) && (phase === undefined || e.type.endsWith(`.${phase}`))),
    async stop() {
      await subscription.stop();
      await bus.close();
    },
  };
}
