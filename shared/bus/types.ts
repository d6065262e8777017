/**
 * The event bus contract (DESIGN section 4). NATS is the fast path, never the source of truth:
 * consumers treat an event as "look at this object again".
 */

export const EventPhases = ['ready', 'failed', 'progressing', 'deleted'] as const;
export type EventPhase = (typeof EventPhases)[number];

/** `data` of a Nimbus CloudEvent. */
export interface NimbusEventData {
  ref: { apiVersion: string; kind: string; namespace?: string; name: string; uid: string };
  generation: number;
  observedGeneration: number;
  phase: string;
  reason: string;
  message: string;
  outputs: Record<string, string>;
  /** The `nimbus.dev/tenant` label of the object, when it belongs to a tenant. */
  tenant?: string;
}

/** A CloudEvents 1.0 JSON envelope. */
export interface NimbusEvent {
  specversion: '1.0';
  id: string;
  source: string;
  /** `dev.nimbus.<kind>.<phase>` */
  type: string;
  /** `<namespace>/<name>` (`_/<name>` for cluster-scoped). */
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: NimbusEventData;
}

export interface SubscribeOptions {
  /**
   * Also deliver each event as soon as core NATS hands it out, before the stream has stored it and the durable
   * consumer delivers it (about 1-2 ms earlier). The handler still sees every event once: an event it handled early
   * is only acknowledged when the consumer delivers it; one it failed on early (it threw) goes through the consumer
   * as usual. Only for idempotent handlers: after a reconnect an event may reach the handler both ways.
   */
  early?: boolean | undefined;
}

export interface Subscription {
  stop(): Promise<void>;
}

export interface Bus {
  /** False when `NATS_URL` is unset: publish is a no-op and subscribe never delivers. */
  readonly enabled: boolean;
  /**
   * Publish an event for an object. Never throws and never blocks reconciliation: while disconnected the event is
   * queued and retried in the background. De-duplicated by `Nats-Msg-Id` = `<uid>/<generation>/<phase>`.
   */
  publish(event: NimbusEvent): void;
  /**
   * Deliver events whose subject matches `filter` (a NATS subject with wildcards) to `handler` through the durable
   * consumer `durable` (JetStream, explicit ack after `handler` resolves), or a core subscription when JetStream is
   * unavailable.
   */
  subscribe(
    durable: string, filter: string, handler: (event: NimbusEvent) => Promise<void> | void, options?: SubscribeOptions,
  ): Promise<Subscription>;
  close(): Promise<void>;
}
