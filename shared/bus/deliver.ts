/**
 * The receive side of the bus, free of NATS: parse, call the handler, then acknowledge (JetStream) or just log
 * (core NATS, which has no redelivery). The message shapes are structural so this file needs no client import.
 */
import type { Logger } from '#shared/observability/logger.ts';
import type { BusCounters, BusMetricsHook } from './counters.ts';
import { parseEvent } from './envelope.ts';
import { backoffMs } from './signal.ts';
import type { NimbusEvent } from './types.ts';

export type Handler = (event: NimbusEvent) => Promise<void> | void;

/** What delivery needs from a JetStream message (`JsMsg` has it). */
export interface AckableMessage {
  subject: string;
  data: Uint8Array;
  redelivered: boolean;
  info: { deliveryCount: number };
  ack(): void;
  nak(millis?: number): void;
  term(reason?: string): void;
}

export interface DeliveryContext {
  durable: string;
  handler: Handler;
  log: Logger;
  counters: BusCounters;
  metrics?: BusMetricsHook | undefined;
  /**
   * With the `early` option: the ids of recent events and which path handled them, so that each reaches the handler
   * once whichever path comes first (bounded: the oldest are forgotten).
   */
  handledEarly?: Map<string, 'early' | 'consumer'> | undefined;
}

/** How many event ids an `early` subscription remembers. */
const maxRemembered = 4096;

function remember(handled: Map<string, 'early' | 'consumer'>, id: string, path: 'early' | 'consumer'): void {
  if (!handled.has(id) && handled.size >= maxRemembered) {
    const oldest = handled.keys().next();
    if (!oldest.done) handled.delete(oldest.value);
  }
  handled.set(id, path);
}

/**
 * The early path of a JetStream subscription: the handler gets the event straight from core NATS. Failures are left
 * to the consumer's delivery (nothing is remembered), so a throwing handler loses nothing.
 */
export async function deliverEarly(ctx: DeliveryContext, data: Uint8Array): Promise<void> {
  const event = parseEvent(data);
  const handled = ctx.handledEarly;
  if (!event || !handled || handled.has(event.id)) return;
  // Marked before the handler runs: the consumer may deliver the event while the handler is still busy with it.
  remember(handled, event.id, 'early');
  try {
    await ctx.handler(event);
    ctx.counters.handledEarly++;
  } catch {
    handled.delete(event.id);
  }
}

/** Ack after the handler resolves; nak with a growing delay when it throws; term what is not a Nimbus event. */
export async function deliverJetStream(ctx: DeliveryContext, msg: AckableMessage): Promise<void> {
  ctx.counters.received++;
  if (msg.redelivered) ctx.counters.redelivered++;
  const event = parseEvent(msg.data);
  if (!event) {
    ctx.counters.malformed++;
    ctx.log.warn({ subject: msg.subject }, 'skipping a message that is not a Nimbus event');
    msg.term('not a Nimbus event');
    return;
  }
  const handled = ctx.handledEarly;
  if (handled?.get(event.id) === 'early') {
    // Taken early: only confirmed here. Kept as 'consumer', so a late early copy is not handled again either.
    handled.set(event.id, 'consumer');
    msg.ack();
    ctx.metrics?.eventReceived();
    return;
  }
  try {
    await ctx.handler(event);
    if (handled) remember(handled, event.id, 'consumer');
    msg.ack();
    ctx.metrics?.eventReceived();
  } catch (error) {
    ctx.counters.handlerErrors++;
    const delayMs = backoffMs(msg.info.deliveryCount, 1_000, 60_000);
    ctx.log.warn({ err: error, durable: ctx.durable, id: event.id, delayMs }, 'event handler failed; redelivering later');
    msg.nak(delayMs);
  }
}

/** Core NATS delivery: there is no redelivery, so a handler failure is only logged (the timer requeue covers it). */
export async function deliverCore(ctx: DeliveryContext, data: Uint8Array): Promise<void> {
  ctx.counters.received++;
  const event = parseEvent(data);
  if (!event) {
    ctx.counters.malformed++;
    return;
  }
  try {
    await ctx.handler(event);
    ctx.metrics?.eventReceived();
  } catch (error) {
    ctx.counters.handlerErrors++;
    ctx.log.warn({ err: error, durable: ctx.durable, id: event.id }, 'event handler failed (core NATS: no redelivery)');
  }
}
