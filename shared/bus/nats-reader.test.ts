import { expect } from 'chai';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { KubeObject } from '#shared/kube/types.ts';
import { silentLogger } from '#shared/observability/logger.ts';
import { startNats, freePort, type NatsFixture } from '../../test/fixtures/nats.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { buildEvent } from './envelope.ts';
import { startNatsBus, streamName, type NatsBus } from './nats.ts';
import { readEvents } from './nats-reader.ts';
import { EventReaderError, type ReaderMode, type StreamedEvent } from './reader.ts';
import type { NimbusEvent } from './types.ts';

function event(kind: string, uid: string): NimbusEvent {
  const object: KubeObject = {
    apiVersion: 'nimbus.dev/v1alpha1', kind,
    metadata: { name: uid, namespace: 'tenant-acme', uid, generation: 1, labels: { 'nimbus.dev/tenant': 'acme' } },
    status: { observedGeneration: 1 },
  };
  return buildEvent({ source: kind.toLowerCase(), object, phase: 'ready', reason: 'Ready', message: 'm', outputs: {} });
}
const uids = (events: StreamedEvent[]): string[] => events.map((e) => e.event?.data.ref.uid ?? '?');

describe('bus event reader (real nats-server)', function () {
  this.timeout(60_000);
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  async function nats(options?: Parameters<typeof startNats>[0]): Promise<NatsFixture> {
    const server = await startNats(options);
    cleanup.push(() => server.stop());
    return server;
  }
  function bus(server: NatsFixture): NatsBus {
    const b = startNatsBus({ url: server.url, name: 'publisher', log: silentLogger() });
    cleanup.push(() => b.close());
    return b;
  }
  /** Publish and wait until JetStream has stored (acknowledged) every event. */
  async function publishStored(b: NatsBus, events: NimbusEvent[]): Promise<void> {
    const before = b.counters.published;
    for (const e of events) b.publish(e);
    await waitFor(() => b.counters.published === before + events.length, { message: 'events stored' });
  }
  async function consumerNames(url: string): Promise<string[]> {
    const nc = await connect({ servers: url });
    try {
      const names: string[] = [];
      for await (const info of (await jetstreamManager(nc)).consumers.list(streamName)) names.push(info.name);
      return names;
    } finally {
      await nc.close();
    }
  }

  it('reads the backlog in order, reports its end, follows new events, and stops on abort', async () => {
    const server = await nats();
    const publisher = bus(server);
    await publishStored(publisher, [event('CouchDB', 'a'), event('Tenant', 'b'), event('CouchDB', 'c')]);
    const received: StreamedEvent[] = [];
    let backlog: { count: number; mode: ReaderMode } | undefined;
    const controller = new AbortController();
    const reading = readEvents({
      url: server.url, follow: true, signal: controller.signal,
      onEvent: (e) => received.push(e), onBacklogDone: (done) => { backlog = { ...done }; },
    });
    await waitFor(() => backlog, { message: 'the end of the backlog' });
    expect(backlog).to.deep.equal({ count: 3, mode: 'jetstream' });
    expect(uids(received)).to.deep.equal(['a', 'b', 'c']);
    expect(received.map((e) => e.seq)).to.deep.equal([1, 2, 3]);
    expect(received[1]!.subject).to.equal('nimbus.events.tenant.tenant-acme.b');

    await publishStored(publisher, [event('CouchDB', 'd'), event('CouchDB', 'e')]);
    await waitFor(() => received.length === 5, { message: 'the followed events' });
    expect(uids(received)).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    expect(await consumerNames(server.url)).to.have.length(1);

    controller.abort();
    expect(await reading).to.deep.equal({ count: 5, mode: 'jetstream' });
    // The ordered consumer is deleted, not left for the server's inactivity timeout.
    expect(await consumerNames(server.url)).to.deep.equal([]);
  });

  it('without follow, returns after the backlog; the filter selects events, also when none match', async () => {
    const server = await nats();
    const publisher = bus(server);
    await publishStored(publisher, [event('CouchDB', 'a'), event('Tenant', 'b'), event('CouchDB', 'c'), event('Tenant', 'd')]);
    const all: StreamedEvent[] = [];
    expect(await readEvents({ url: server.url, follow: false, onEvent: (e) => all.push(e) })).to.deep.equal({ count: 4, mode: 'jetstream' });
    expect(uids(all)).to.deep.equal(['a', 'b', 'c', 'd']);

    const tenants: StreamedEvent[] = [];
    let ended = 0;
    const result = await readEvents({
      url: server.url, follow: false, filter: 'nimbus.events.tenant.>', onEvent: (e) => tenants.push(e), onBacklogDone: () => { ended++; },
    });
    expect(result.count).to.equal(2);
    expect(uids(tenants)).to.deep.equal(['b', 'd']);
    expect(ended).to.equal(1);

    const none = await readEvents({ url: server.url, follow: false, filter: 'nimbus.events.nosuch.>', onEvent: () => { throw new Error('never'); } });
    expect(none).to.deep.equal({ count: 0, mode: 'jetstream' });
    expect(await consumerNames(server.url)).to.deep.equal([]);
  });

  it('fails clearly when the server is unreachable or the stream does not exist yet', async () => {
    const port = await freePort();
    const down = await readEvents({ url: `nats://127.0.0.1:${port}`, follow: false, onEvent: () => {} }).catch((e: unknown) => e);
    expect(down).to.be.instanceOf(EventReaderError);
    expect((down as EventReaderError).failure).to.equal('unreachable');
    expect((down as Error).message).to.contain(`cannot connect to NATS at nats://127.0.0.1:${port}`);

    const server = await nats();
    const empty = await readEvents({ url: server.url, follow: false, onEvent: () => {} }).catch((e: unknown) => e);
    expect(empty).to.be.instanceOf(EventReaderError);
    expect((empty as EventReaderError).failure).to.equal('no-stream');
  });

  it('without JetStream, has no backlog and follows live events only (core NATS)', async () => {
    const server = await nats({ jetstream: false });
    const publisher = bus(server);
    let backlog: { count: number; mode: ReaderMode } | undefined;
    expect(await readEvents({ url: server.url, follow: false, onEvent: () => {}, onBacklogDone: (d) => { backlog = d; } }))
      .to.deep.equal({ count: 0, mode: 'core' });
    expect(backlog).to.deep.equal({ count: 0, mode: 'core' });

    const received: StreamedEvent[] = [];
    const controller = new AbortController();
    const reading = readEvents({ url: server.url, follow: true, signal: controller.signal, onEvent: (e) => received.push(e) });
    await waitFor(() => publisher.mode === 'core', { message: 'the publisher in core mode' });
    // A core subscription only sees what is published after it is registered: publish until one arrives.
    let i = 0;
    await waitFor(() => { publisher.publish(event('CouchDB', `live-${i++}`)); return received.length > 0; }, { intervalMs: 100 });
    expect(received[0]!.event?.data.ref.uid).to.match(/^live-/);
    expect(received[0]!.seq).to.equal(undefined);
    controller.abort();
    const result = await reading;
    expect(result.mode).to.equal('core');
    expect(result.count).to.equal(received.length);
  });
});
