/** The event bus (DESIGN section 4): contract, envelope, and the NATS implementation. */
export * from './types.ts';
export * from './envelope.ts';
export type { BusCounters, BusMetricsHook } from './counters.ts';
export { createBus, startNatsBus, streamName, type BusOptions, type BusMode, type NatsBus } from './nats.ts';
export * from './reader.ts';
export { readEvents } from './nats-reader.ts';
