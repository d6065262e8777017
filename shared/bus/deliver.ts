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
  try {
    await ctx.handler(event);
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
