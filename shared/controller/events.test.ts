import { expect } from 'chai';
import { startApiServer, type ApiServer } from '#sim/index.ts';
import type { Clock } from '#shared/clock/index.ts';
import { createKubeClient, type ClosableKubeClient } from '#shared/kube/client.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import { eventAggregationWindowMs, recordEvent, rememberedEventCount, type EventInput } from './events.ts';

/** A clock the test moves by hand. */
function manualClock(startMs: number): Clock & { advance(ms: number): void } {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    nowIso: () => new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    advance: (ms) => { nowMs += ms; },
  };
}

describe('Kubernetes Events aggregation (against the sim)', () => {
  let sim: ApiServer;
  let kube: ClosableKubeClient;
  let involved: KubeObject;
  const failing: EventInput = { type: 'Warning', reason: 'InitJobFailed', message: 'the Job failed', reportingController: 'nimbus-test' };

  const eventsAbout = async (object: KubeObject) => (await kube.list({ apiVersion: 'v1', kind: 'Event', namespace: 'default' })).items
    .filter((e) => (e['involvedObject'] as { uid?: string }).uid === object.metadata.uid);

  before(async () => {
    sim = await startApiServer({ quiet: true, kubelet: false });
    kube = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'nimbus-test' });
  });
  beforeEach(async () => {
    involved = await kube.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'ev-', namespace: 'default' } });
  });
  after(async () => {
    kube.close();
    await sim.stop();
  });

  it('bumps count and lastTimestamp of a repeated Event instead of creating another', async () => {
    const clock = manualClock(Date.parse('2026-01-01T00:00:00Z'));
    expect(await recordEvent(kube, involved, failing, undefined, clock)).to.equal(true);
    clock.advance(30_000);
    expect(await recordEvent(kube, involved, failing, undefined, clock)).to.equal(true);
    clock.advance(30_000);
    // A newer resourceVersion of the same object is still the same Event.
    const touched = { ...involved, metadata: { ...involved.metadata, resourceVersion: '999999' } };
    expect(await recordEvent(kube, touched, failing, undefined, clock)).to.equal(true);
    const events = await eventsAbout(involved);
    expect(events).to.have.length(1);
    expect(events[0]).to.deep.include({ count: 3, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:01:00Z', message: 'the Job failed' });
  });

  it('keeps different Events apart, and recorded concurrently still counts each once', async () => {
    const clock = manualClock(Date.parse('2026-01-01T00:00:00Z'));
    const other = { ...failing, message: 'another message' };
    const results = await Promise.all([
      recordEvent(kube, involved, failing, undefined, clock), recordEvent(kube, involved, failing, undefined, clock),
      recordEvent(kube, involved, failing, undefined, clock), recordEvent(kube, involved, other, undefined, clock),
      recordEvent(kube, involved, { ...failing, type: 'Normal', reason: 'Ready' }, undefined, clock),
    ]);
    expect(results).to.deep.equal([true, true, true, true, true]);
    const counts = (await eventsAbout(involved)).map((e) => `${String(e['reason'])}:${String(e['message'])}:${String(e['count'])}`).sort();
    expect(counts).to.deep.equal(['InitJobFailed:another message:1', 'InitJobFailed:the Job failed:3', 'Ready:the Job failed:1']);
  });

  it('starts a new Event after the window, or when the old one is gone', async () => {
    const clock = manualClock(Date.parse('2026-01-01T00:00:00Z'));
    await recordEvent(kube, involved, failing, undefined, clock);
    clock.advance(eventAggregationWindowMs + 1000);
    await recordEvent(kube, involved, failing, undefined, clock);
    expect((await eventsAbout(involved)).map((e) => e['count'])).to.deep.equal([1, 1]);
    for (const event of await eventsAbout(involved)) {
      await kube.delete({ apiVersion: 'v1', kind: 'Event', namespace: 'default', name: event.metadata.name ?? '' });
    }
    clock.advance(1000);
    expect(await recordEvent(kube, involved, failing, undefined, clock)).to.equal(true);
    expect((await eventsAbout(involved)).map((e) => e['count'])).to.deep.equal([1]);
  });

  it('never throws: a failed patch or create resolves false', async () => {
    const clock = manualClock(Date.parse('2026-01-01T00:00:00Z'));
    await recordEvent(kube, involved, failing, undefined, clock);
    sim.faults.failNext({ method: 'PATCH', pathPrefix: '/api/v1/namespaces/default/events', count: 1, code: 500 });
    expect(await recordEvent(kube, involved, failing, undefined, clock)).to.equal(false);
    expect(await recordEvent(kube, involved, failing, undefined, clock)).to.equal(true);
    expect((await eventsAbout(involved)).map((e) => e['count'])).to.deep.equal([2]);
    sim.faults.failNext({ method: 'POST', pathPrefix: '/api/v1/namespaces/default/events', count: 1, code: 500 });
    expect(await recordEvent(kube, involved, { ...failing, reason: 'Other' }, undefined, clock)).to.equal(false);
  });

  it('forgets Events out of the aggregation window, so its memory does not grow with every object ever seen', async () => {
    const client = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'nimbus-test' });
    try {
      const clock = manualClock(Date.parse('2026-01-01T00:00:00Z'));
      for (let i = 0; i < 5; i++) {
        expect(await recordEvent(client, involved, { ...failing, message: `attempt ${i}` }, undefined, clock)).to.equal(true);
      }
      expect(rememberedEventCount(client)).to.equal(5);
      clock.advance(eventAggregationWindowMs + 1);
      expect(await recordEvent(client, involved, failing, undefined, clock)).to.equal(true);
      expect(rememberedEventCount(client)).to.equal(1);
      expect((await eventsAbout(involved)).length).to.equal(6);
    } finally {
      client.close();
    }
  });
});
