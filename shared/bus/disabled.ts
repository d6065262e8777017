/** The bus of an operator started without `NATS_URL`: events off, reconciliation unaffected. */
import type { Logger } from '#shared/observability/logger.ts';
import { createCounters, type BusCounters } from './counters.ts';
import type { Bus, Subscription } from './types.ts';

/** A Bus that publishes nothing and delivers nothing; logs one warning when created. */
export function disabledBus(log: Logger): Bus & { readonly counters: Readonly<BusCounters> } {
  log.warn('NATS_URL is not set: events are off (publish is a no-op, subscriptions never deliver)');
  const stopped: Subscription = { stop: async () => {} };
  return {
    enabled: false,
    counters: createCounters(),
    publish: () => {},
    subscribe: async () => stopped,
    close: async () => {},
  };
}
