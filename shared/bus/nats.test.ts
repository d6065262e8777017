import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { silentLogger } from '#shared/observability/logger.ts';
import { startNats, freePort, type NatsFixture } from '../../test/fixtures/nats.ts';
import { captureLogger } from '../../test/helpers/log-capture.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { buildEvent, messageId } from './envelope.ts';
import { createBus, startNatsBus, type NatsBus } from './nats.ts';
import type { EventPhase, NimbusEvent } from './types.ts';

function couchdb(uid: string, generation = 1): KubeObject {
  return {
    apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB',
    metadata: { name: `db-${uid}`, namespace: 'tenant-acme', uid, generation, labels: { 'nimbus.dev/tenant': 'acme' } },
    status: { observedGeneration: generation },
  };
}
function event(uid: string, phase: EventPhase = 'ready', generation = 1): NimbusEvent {
  return buildEvent({ source: 'couchdb', object: couchdb(uid, generation), phase, reason: 'R', message: 'm', outputs: { k: 'v' } });
}

describe('bus (real nats-server)', function () {
  this.timeout(60_000);
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  function track<T extends { close(): Promise<void> }>(bus: T): T {
    cleanup.push(() => bus.close());
    return bus;
  }
  async function nats(options?: Parameters<typeof startNats>[0]): Promise<NatsFixture> {
    const server = await startNats(options);
    cleanup.push(() => server.stop());
    return server;
  }

  it('is disabled without a URL: one warning, publish is a no-op, subscribe never delivers', async () => {
    const captured = captureLogger();
    const bus = await createBus({ name: 'test', log: captured.log });
    expect(bus.enabled).to.equal(false);
    bus.publish(event('u-0'));
    const sub = await bus.subscribe('d', 'nimbus.events.>', () => { throw new Error('never'); });
    await sub.stop();
    await bus.close();
    expect(captured.warnings('NATS_URL')).to.have.length(1);
    expect(bus.counters.published).to.equal(0);
  });

  it('publishes to JetStream and a durable consumer receives the envelope', async () => {
    const server = await nats();
    const publisher = track(startNatsBus({ url: server.url, name: 'couchdb', log: silentLogger() }));
    const consumer = track(startNatsBus({ url: server.url, name: 'main', log: silentLogger() }));
    const sent = event('u-1');
    publisher.publish(sent);
    const received: NimbusEvent[] = [];
    await consumer.subscribe('main', 'nimbus.events.couchdb.>', (e) => { received.push(e); });
    await waitFor(() => received.length > 0, { message: 'the event' });
    expect(received).to.deep.equal([sent]);
    expect(publisher.mode).to.equal('jetstream');
    expect(publisher.counters.published).to.equal(1);
    expect(publisher.pending()).to.equal(0);
  });

  it('shares the stream between operators configured with different bounds', async () => {
    const server = await nats();
    const a = track(startNatsBus({ url: server.url, name: 'a', log: silentLogger(), stream: { maxAgeMs: 3600_000 } }));
    await waitFor(() => a.mode === 'jetstream', { message: 'a in JetStream mode' });
    const b = track(startNatsBus({ url: server.url, name: 'b', log: silentLogger(), stream: { maxAgeMs: 7200_000, maxBytes: 1 << 20 } }));
    const received: string[] = [];
    await a.subscribe('main', 'nimbus.events.>', (e) => { received.push(e.data.ref.uid); });
    b.publish(event('from-b'));
    await waitFor(() => received.includes('from-b'), { message: 'the event from b' });
    expect(b.mode).to.equal('jetstream');
  });

  it('stores a repeated <uid>/<generation>/<phase> once', async () => {
    const server = await nats();
    const bus = track(startNatsBus({ url: server.url, name: 'couchdb', log: silentLogger() }));
    const first = event('u-dup');
    const again = event('u-dup');
    expect(messageId(first)).to.equal(messageId(again));
    bus.publish(first);
    bus.publish(again);
    bus.publish(event('u-sentinel'));
    const received: NimbusEvent[] = [];
    await bus.subscribe('main', 'nimbus.events.>', (e) => { received.push(e); });
    // The stream is ordered: once the sentinel arrived, a stored duplicate would have arrived before it.
    await waitFor(() => received.some((e) => e.data.ref.uid === 'u-sentinel'), { message: 'the sentinel' });
    expect(received.map((e) => e.data.ref.uid)).to.deep.equal(['u-dup', 'u-sentinel']);
    expect(received[0]!.id).to.equal(first.id);
    expect(bus.counters.deduplicated).to.equal(1);
  });

  it('redelivers after a handler failure (nak with delay)', async () => {
    const server = await nats();
    const bus = track(startNatsBus({ url: server.url, name: 'main', log: silentLogger() }));
    let calls = 0;
    bus.publish(event('u-retry'));
    await bus.subscribe('main', 'nimbus.events.>', () => {
      calls++;
      if (calls === 1) throw new Error('transient');
    });
    await waitFor(() => calls >= 2, { message: 'the redelivery' });
    expect(bus.counters.handlerErrors).to.equal(1);
    expect(bus.counters.redelivered).to.equal(1);
  });

  it('early: the handler gets each event once, straight from core NATS; the consumer only acknowledges it', async () => {
    const server = await nats();
    const publisher = track(startNatsBus({ url: server.url, name: 'couchdb', log: silentLogger() }));
    const consumer = track(startNatsBus({ url: server.url, name: 'main', log: silentLogger() }));
    const seen: string[] = [];
    await consumer.subscribe('main', 'nimbus.events.>', (e) => { seen.push(e.data.ref.uid); }, { early: true });
    // A first event through, so the subscription (the early path is subscribed before the first pull) is up.
    publisher.publish(event('u-e0'));
    await waitFor(() => consumer.counters.received >= 1, { message: 'the first event' });
    for (const uid of ['u-e1', 'u-e2', 'u-e3']) publisher.publish(event(uid));
    await waitFor(() => consumer.counters.received >= 4, { message: 'the consumer confirming all of them' });
    expect(seen).to.deep.equal(['u-e0', 'u-e1', 'u-e2', 'u-e3']);
    expect(consumer.counters.handledEarly).to.be.at.least(3);
  });

  it('early: a handler that throws on the early path still gets the event from the consumer', async () => {
    const server = await nats();
    const bus = track(startNatsBus({ url: server.url, name: 'main', log: silentLogger() }));
    const calls: string[] = [];
    await bus.subscribe('main', 'nimbus.events.>', (e) => {
      calls.push(e.data.ref.uid);
      if (e.data.ref.uid === 'u-early-fail' && calls.filter((c) => c === 'u-early-fail').length === 1) throw new Error('not yet');
    }, { early: true });
    bus.publish(event('u-warm'));
    await waitFor(() => bus.counters.received >= 1, { message: 'the first event' });
    bus.publish(event('u-early-fail'));
    await waitFor(() => bus.counters.received >= 2, { message: 'the consumer delivering what failed early' });
    expect(calls.filter((c) => c === 'u-early-fail')).to.have.length(2);
    expect(bus.counters.handlerErrors).to.equal(0);
  });

  it('keeps events published during a server outage and delivers them after the restart', async () => {
    const server = await nats();
    const publisher = track(startNatsBus({ url: server.url, name: 'couchdb', log: silentLogger() }));
    const consumer = track(startNatsBus({ url: server.url, name: 'main', log: silentLogger() }));
    const received = new Set<string>();
    await consumer.subscribe('main', 'nimbus.events.>', (e) => { received.add(e.data.ref.uid); });
    publisher.publish(event('before'));
    await waitFor(() => received.has('before'), { message: 'the first event' });

    await server.halt();
    await waitFor(() => !publisher.connected && !consumer.connected, { message: 'both clients to notice' });
    for (let i = 0; i < 20; i++) publisher.publish(event(`during-${i}`));
    expect(publisher.pending()).to.equal(20);
    await server.start();

    await waitFor(() => received.size === 21, { timeoutMs: 30_000, message: 'all events after the restart' });
    expect(publisher.pending()).to.equal(0);
    // The consumer keeps working after the restart, not only for the backlog.
    publisher.publish(event('after'));
    await waitFor(() => received.has('after'), { message: 'an event after recovery' });
  });

  it('loses nothing when the server crashes (SIGKILL) in the middle of a stream of publishes', async () => {
    const server = await nats();
    const publisher = track(startNatsBus({ url: server.url, name: 'couchdb', log: silentLogger() }));
    const consumer = track(startNatsBus({ url: server.url, name: 'main', log: silentLogger() }));
    const received = new Set<string>();
    await consumer.subscribe('main', 'nimbus.events.>', (e) => { received.add(e.data.ref.uid); });
    let sent = 0;
    const publishSome = (): void => { for (let i = 0; i < 5; i++) publisher.publish(event(`crash-${sent++}`)); };
    const timer = setInterval(publishSome, 20);
    try {
      await waitFor(() => sent >= 100, { message: 'publishing before the crash' });
      await server.kill();
      await waitFor(() => !publisher.connected, { message: 'the publisher to notice' });
      const atRestart = sent;
      await waitFor(() => sent >= atRestart + 100, { message: 'publishing during the outage' });
      await server.start();
      await waitFor(() => sent >= atRestart + 300, { message: 'publishing after the restart' });
    } finally {
      clearInterval(timer);
    }
    await waitFor(() => received.size === sent, {
      timeoutMs: 40_000, message: `all ${sent} events (have ${received.size})`,
    });
    expect(publisher.counters.dropped).to.equal(0);
  });

  it('starts while NATS is down and delivers once it comes up', async () => {
    const port = await freePort();
    const started = Date.now();
    const bus = track(startNatsBus({ url: `nats://127.0.0.1:${port}`, name: 'couchdb', log: silentLogger() }));
    const received: string[] = [];
    await bus.subscribe('main', 'nimbus.events.>', (e) => { received.push(e.data.ref.uid); });
    bus.publish(event('early'));
    expect(Date.now() - started).to.be.below(1_000);
    expect(bus.connected).to.equal(false);
    await nats({ port });
    await waitFor(() => received.includes('early'), { timeoutMs: 30_000, message: 'the early event' });
  });

  it('falls back to core NATS when JetStream is unavailable, and says so once', async () => {
    const server = await nats({ jetstream: false });
    const captured = captureLogger('main');
    const consumer: NatsBus = track(startNatsBus({ url: server.url, name: 'main', log: captured.log }));
    const publisher = track(startNatsBus({ url: server.url, name: 'couchdb', log: silentLogger() }));
    const received: string[] = [];
    await consumer.subscribe('main', 'nimbus.events.>', (e) => { received.push(e.data.ref.uid); });
    await waitFor(() => consumer.mode === 'core' && publisher.mode === 'core', { message: 'core mode' });
    // A core subscription only sees what is published after it is registered: publish until one arrives.
    let i = 0;
    await waitFor(() => { publisher.publish(event(`core-${i++}`)); return received.length > 0; }, { intervalMs: 100 });
    expect(received[0]).to.match(/^core-/);
    expect(captured.warnings('JetStream is not available')).to.have.length(1);
  });

  it('closes promptly while the server is down', async () => {
    const server = await nats();
    const bus = startNatsBus({ url: server.url, name: 'main', log: silentLogger(), closeTimeoutMs: 500 });
    await bus.subscribe('main', 'nimbus.events.>', () => {});
    await waitFor(() => bus.mode === 'jetstream', { message: 'JetStream mode' });
    await server.halt();
    await waitFor(() => !bus.connected, { message: 'the disconnect' });
    bus.publish(event('lost'));
    const started = Date.now();
    await bus.close();
    expect(Date.now() - started).to.be.below(8_000);
    expect(bus.mode).to.equal('closed');
    expect(bus.pending()).to.equal(1);
  });

  it('drops the oldest event when the queue is full', async () => {
    const port = await freePort();
    const captured = captureLogger();
    const bus = track(startNatsBus({ url: `nats://127.0.0.1:${port}`, name: 'x', log: captured.log, maxQueued: 3, closeTimeoutMs: 0 }));
    for (let i = 0; i < 5; i++) bus.publish(event(`q-${i}`));
    expect(bus.pending()).to.equal(3);
    expect(bus.counters.dropped).to.equal(2);
    expect(captured.warnings('queue full')).to.have.length(1);
  });
});
