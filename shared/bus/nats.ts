/**
 * The NATS bus (DESIGN section 4): the only file that imports `@nats-io/*`. It never blocks or fails the caller:
 * publishing goes through a bounded in-memory queue drained in the background, the connection is retried forever,
 * and subscriptions re-establish themselves after reconnects and server restarts.
 */
import { connect, headers, nanos, type NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy, DeliverPolicy, DiscardPolicy, StorageType, jetstream, jetstreamManager,
  type JetStreamClient, type JetStreamManager, type Consumer,
} from '@nats-io/jetstream';
import { redactValue } from '#shared/config/errors.ts';
import type { Logger } from '#shared/observability/logger.ts';
import { createCounters, type BusCounters, type BusMetricsHook } from './counters.ts';
import { disabledBus } from './disabled.ts';
import { deliverCore, deliverEarly, deliverJetStream, type DeliveryContext } from './deliver.ts';
import { subjectPrefix } from './envelope.ts';
import { createPublisher, type QueuedEvent } from './publisher.ts';
import { Signal, backoffMs } from './signal.ts';
import type { Bus, Subscription } from './types.ts';

export const streamName = 'NIMBUS_EVENTS';

export interface BusOptions {
  /** `nats://` or `tls://` URL; undefined disables the bus (one warning). */
  url?: string | undefined;
  /** The operator name: connection name in NATS monitoring. */
  name: string;
  log: Logger;
  /** Stream bounds (defaults: 24 h, 256 MiB, 2 min duplicate window). */
  stream?: { maxAgeMs?: number; maxBytes?: number; duplicateWindowMs?: number } | undefined;
  /** Bound of the publish queue; the oldest event is dropped beyond it (default 10 000). */
  maxQueued?: number;
  /** How long `close()` keeps trying to deliver queued events (default 5 000 ms). */
  closeTimeoutMs?: number;
  metrics?: BusMetricsHook | undefined;
}

export type BusMode = 'connecting' | 'jetstream' | 'core' | 'closed';

/** The bus as built by `createBus`: the `Bus` contract plus introspection for tests and benchmarks. */
export interface NatsBus extends Bus {
  readonly mode: BusMode;
  readonly connected: boolean;
  readonly counters: Readonly<BusCounters>;
  /** Events queued and not yet accepted by the server. */
  pending(): number;
}

interface SubState {
  durable: string; filter: string; stopped: boolean;
  delivery: DeliveryContext;
  /** Ends the current fetch or core subscription early (reconnect, stop). */
  interrupt?: (() => void) | undefined;
  done: Promise<void>;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}
/** JetStream is off on the server or for the account: use core NATS instead. */
export function isJetStreamUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return errorName(error) === 'JetStreamNotEnabled' || code === 10039 || code === '10039';
}

/** Create the bus; resolves at once, even while NATS is unreachable (it connects in the background). */
export async function createBus(options: BusOptions): Promise<Bus & { readonly counters: Readonly<BusCounters> }> {
  if (!options.url) return disabledBus(options.log);
  return startNatsBus({ ...options, url: options.url });
}

/** Like `createBus` with a URL, typed with the introspection fields. */
export function startNatsBus(options: BusOptions & { url: string }): NatsBus {
  const log = options.log.child({ component: 'bus' });
  const counters = createCounters();
  const signal = new Signal();
  const subs = new Set<SubState>();
  let nc: NatsConnection | undefined;
  let js: JetStreamClient | undefined;
  let jsm: JetStreamManager | undefined;
  let mode: BusMode = 'connecting';
  let connected = false;
  let closing = false;
  let coreFallbackLogged = false;

  async function setup(conn: NatsConnection): Promise<void> {
    try {
      const manager = await jetstreamManager(conn);
      await ensureStream(manager);
      jsm = manager;
      js = jetstream(conn);
      mode = 'jetstream';
      log.info({ stream: streamName }, 'connected to NATS with JetStream');
    } catch (error) {
      if (!isJetStreamUnavailable(error)) throw error;
      mode = 'core';
      if (!coreFallbackLogged) log.warn('JetStream is not available on this server: falling back to core NATS (no persistence)');
      coreFallbackLogged = true;
    }
    signal.notify();
  }

  async function ensureStream(manager: JetStreamManager): Promise<void> {
    const bounds = {
      subjects: [`${subjectPrefix}.>`],
      max_age: nanos(options.stream?.maxAgeMs ?? 24 * 3600_000),
      max_bytes: options.stream?.maxBytes ?? 256 * 1024 * 1024,
      duplicate_window: nanos(options.stream?.duplicateWindowMs ?? 120_000),
      discard: DiscardPolicy.Old,
    };
    const exists = await manager.streams.info(streamName).then(() => true, (error: unknown) => {
      if (errorName(error) === 'StreamNotFoundError') return false;
      throw error;
    });
    if (exists) {
      // Another operator may have created it with other bounds; a stream that works beats a perfect one.
      await manager.streams.update(streamName, bounds).catch((error: unknown) => {
        log.warn({ err: error, stream: streamName }, 'cannot update the stream bounds; using the stream as it is');
      });
    } else await manager.streams.add({ name: streamName, storage: StorageType.File, ...bounds });
  }

  /** (Re)run setup until it succeeds or the bus closes; JetStream API hiccups right after a restart are normal. */
  async function setupLoop(conn: NatsConnection): Promise<void> {
    for (let attempt = 1; !closing && !conn.isClosed(); attempt++) {
      try {
        await setup(conn);
        return;
      } catch (error) {
        log.warn({ err: error, attempt }, 'bus setup failed; retrying');
        await signal.wait(backoffMs(attempt));
      }
    }
  }

  async function watchStatus(conn: NatsConnection): Promise<void> {
    for await (const status of conn.status()) {
      if (status.type === 'disconnect') {
        connected = false;
        log.warn({ server: status.server }, 'disconnected from NATS; reconnecting');
        for (const sub of subs) sub.interrupt?.();
      } else if (status.type === 'reconnect') {
        connected = true;
        log.info({ server: status.server }, 'reconnected to NATS');
        await setupLoop(conn);
        for (const sub of subs) sub.interrupt?.();
      }
    }
  }

  /** The initial connection, retried until it succeeds; after that the client reconnects by itself, forever. */
  async function connectLoop(): Promise<void> {
    for (let attempt = 1; !closing; attempt++) {
      try {
        // waitOnFirstConnect is off on purpose: a pending connect() cannot be cancelled, this loop can (close()).
        const conn = await connect({
          servers: options.url, name: options.name, maxReconnectAttempts: -1, waitOnFirstConnect: false,
          reconnectTimeWait: 500, reconnectJitter: 250, pingInterval: 10_000, maxPingOut: 3,
        });
        if (closing) { await conn.close(); return; }
        nc = conn;
        connected = true;
        void watchStatus(conn).catch((error: unknown) => log.error({ err: error }, 'NATS status watcher ended'));
        await setupLoop(conn);
        return;
      } catch (error) {
        if (attempt === 1 || attempt % 20 === 0) log.warn({ err: error, attempt, url: redactValue(options.url) }, 'cannot reach NATS; retrying');
        await signal.wait(backoffMs(attempt, 250, 5_000));
      }
    }
  }

  async function send(item: QueuedEvent): Promise<void> {
    const conn = nc;
    if (!conn) throw new Error('not connected');
    if (mode === 'jetstream' && js) {
      const ack = await js.publish(item.subject, item.payload, { msgID: item.id, timeout: 5_000 });
      if (ack.duplicate) counters.deduplicated++;
    } else {
      const h = headers();
      h.set('Nats-Msg-Id', item.id);
      conn.publish(item.subject, item.payload, { headers: h });
    }
    counters.published++;
    options.metrics?.eventPublished();
  }

  const publisher = createPublisher({
    log, counters, signal, maxQueued: options.maxQueued ?? 10_000, send,
    canSend: () => connected && (mode === 'jetstream' || mode === 'core'),
    isClosed: () => mode === 'closed',
    onRepeatedFailure: () => { if (nc && connected) void setupLoop(nc); },
  });

  async function runJetStream(sub: SubState, manager: JetStreamManager, client: JetStreamClient): Promise<void> {
    const config = {
      durable_name: sub.durable, filter_subject: sub.filter, ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All, ack_wait: nanos(30_000),
    };
    const info = await manager.consumers.info(streamName, sub.durable).catch((error: unknown) => {
      if (errorName(error) === 'ConsumerNotFoundError') return undefined;
      throw error;
    });
    if (!info) await manager.consumers.add(streamName, config);
    else if (info.config.filter_subject !== sub.filter) {
      await manager.consumers.update(streamName, sub.durable, { filter_subject: sub.filter });
    }
    const consumer = await client.consumers.get(streamName, sub.durable);
    // The early path: the same subjects straight from core NATS (no queue group: every replica sees them; a standby's
    // handler throws and leaves the event to the consumer). Chained, so early events keep their order.
    let chain = Promise.resolve();
    const early = sub.delivery.handledEarly && nc
      ? nc.subscribe(sub.filter, { callback: (_error, msg) => { chain = chain.then(() => deliverEarly(sub.delivery, msg.data)); } })
      : undefined;
    try {
      await pullLoop(sub, consumer);
    } finally {
      early?.unsubscribe();
      await chain;
    }
  }

  async function pullLoop(sub: SubState, consumer: Consumer): Promise<void> {
    while (!sub.stopped && mode === 'jetstream' && connected) {
      const startedMs = Date.now();
      let delivered = 0;
      const batch = await consumer.fetch({ max_messages: 64, expires: 5_000 });
      sub.interrupt = () => { void batch.close(); };
      try {
        for await (const msg of batch) {
          delivered++;
          await deliverJetStream(sub.delivery, msg);
          if (sub.stopped) break;
        }
      } finally {
        sub.interrupt = undefined;
      }
      // A pull that ends at once with nothing (a server status, not a timeout) must not become a busy loop.
      if (delivered === 0 && Date.now() - startedMs < 500) await signal.wait(500);
    }
  }

  async function runCore(sub: SubState, conn: NatsConnection): Promise<void> {
    let chain = Promise.resolve();
    const core = conn.subscribe(sub.filter, {
      queue: sub.durable,
      // Chained, so events reach the handler one at a time and in order, as with JetStream.
      callback: (_error, msg) => { chain = chain.then(() => deliverCore(sub.delivery, msg.data)); },
    });
    log.info({ durable: sub.durable, filter: sub.filter }, 'subscribed with core NATS (JetStream unavailable)');
    // Core subscriptions survive reconnects by themselves; leave only on stop, close or a switch to JetStream.
    while (!sub.stopped && !closing && mode === 'core') await signal.wait(5_000);
    core.unsubscribe();
    await chain;
  }

  async function subscriptionLoop(sub: SubState): Promise<void> {
    for (let attempt = 0; !sub.stopped && !closing;) {
      const conn = nc;
      try {
        if (!conn || !connected) await signal.wait(1_000);
        else if (mode === 'jetstream' && jsm && js) { await runJetStream(sub, jsm, js); attempt = 0; }
        else if (mode === 'core') { await runCore(sub, conn); attempt = 0; }
        else await signal.wait(1_000);
      } catch (error) {
        if (sub.stopped || closing) return;
        attempt++;
        log.warn({ err: error, durable: sub.durable, attempt }, 'subscription interrupted; re-establishing');
        await signal.wait(backoffMs(attempt, 250, 10_000));
      }
    }
  }

  void connectLoop();

  return {
    enabled: true,
    counters,
    get mode() { return mode; },
    get connected() { return connected; },
    pending: () => publisher.pending(),
    publish(event) {
      if (!closing) publisher.enqueue(event);
    },
    async subscribe(durable, filter, handler, subscribeOptions) {
      const delivery: DeliveryContext = {
        durable, handler, log, counters, metrics: options.metrics, handledEarly: subscribeOptions?.early ? new Map() : undefined,
      };
      const sub: SubState = { durable, filter, delivery, stopped: false, done: Promise.resolve() };
      sub.done = subscriptionLoop(sub);
      subs.add(sub);
      return {
        async stop() {
          sub.stopped = true;
          sub.interrupt?.();
          signal.notify();
          await sub.done;
          subs.delete(sub);
        },
      } satisfies Subscription;
    },
    async close() {
      if (closing) return;
      closing = true;
      await publisher.drain(Date.now() + (options.closeTimeoutMs ?? 5_000));
      if (publisher.pending() > 0) log.warn({ pending: publisher.pending() }, 'closing the bus with undelivered events');
      for (const sub of subs) { sub.stopped = true; sub.interrupt?.(); }
      mode = 'closed';
      signal.notify();
      await Promise.all([...subs].map((sub) => sub.done));
      subs.clear();
      if (nc && !nc.isClosed()) await nc.drain().catch(() => nc?.close());
    },
  };
}
