import { expect } from 'chai';
import { startApiServer } from '#sim/index.ts';
import type { ApiServer } from '#sim/index.ts';
import { createKubeClient } from '#shared/kube/client.ts';
import type { ClosableKubeClient } from '#shared/kube/client.ts';
import type { KindRef, KubeObject } from '#shared/kube/types.ts';
import { silentLogger } from '#shared/observability/logger.ts';
import { createInformer } from './informer.ts';
import { trimmedField, trimPaths } from './transform.ts';
import type { Informer, InformerEventType, InformerOptions } from './informer.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';

interface Recorded { type: InformerEventType; name: string; rv: string | undefined }

describe('informer (real client-node against the sim)', () => {
  let sim: ApiServer;
  let kube: ClosableKubeClient;
  let informer: Informer | undefined;
  let nsCounter = 0;

  before(async () => {
    sim = await startApiServer({ quiet: true, bookmarkIntervalMs: 100, historyLimit: 5 });
    kube = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'nimbus-test' });
  });
  after(async () => {
    kube.close();
    await sim.stop();
  });
  afterEach(() => {
    informer?.stop();
    informer = undefined;
    sim.faults.reset();
  });

  async function namespace(): Promise<KindRef> {
    const name = `inf-${++nsCounter}`;
    await kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    return { apiVersion: 'v1', kind: 'ConfigMap', namespace: name };
  }
  const cm = (kind: KindRef, name: string): KubeObject =>
    ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: kind.namespace ?? '' }, data: { v: name } });

  function start(kind: KindRef, extra: Partial<InformerOptions> = {}): { events: Recorded[]; informer: Informer } {
    const events: Recorded[] = [];
    informer = createInformer({
      kube, kind, log: silentLogger(), backoff: { initialMs: 50, maxMs: 400 }, ...extra,
      onEvent: (type, object) => events.push({ type, name: object.metadata.name ?? '', rv: object.metadata.resourceVersion }),
    });
    return { events, informer };
  }

  async function serverNames(kind: KindRef): Promise<string[]> {
    return (await kube.list(kind)).items.map((i) => i.metadata.name ?? '').sort();
  }

  it('reconnects after dropped connections without losing or duplicating events', async () => {
    const kind = await namespace();
    const { events, informer: inf } = start(kind);
    await inf.start();
    for (let i = 0; i < 20; i++) {
      await kube.create(cm(kind, `o${i}`));
      if (i % 4 === 0) sim.faults.dropWatches();
    }
    const expected = await serverNames(kind);
    await waitFor(() => inf.cache.size === 20, { timeoutMs: 10_000 });
    expect(inf.cache.list().map((o) => o.metadata.name).sort()).to.deep.equal(expected);
    expect(inf.stats.watches).to.be.greaterThan(1);
    const added = events.filter((e) => e.type === 'added').map((e) => e.name);
    expect(added.length).to.equal(new Set(added).size);
    expect(added.length).to.equal(20);
  });

  it('re-watches from its resourceVersion when the server ends the stream (timeoutSeconds)', async () => {
    const kind = await namespace();
    const { events, informer: inf } = start(kind, { timeoutSeconds: 1 });
    await inf.start();
    await kube.create(cm(kind, 'first'));
    await waitFor(() => inf.stats.watches >= 3, { timeoutMs: 10_000 });
    await kube.create(cm(kind, 'second'));
    await waitFor(() => inf.cache.size === 2, { timeoutMs: 5000 });
    expect(events.map((e) => `${e.type}:${e.name}`)).to.deep.equal(['added:first', 'added:second']);
    expect(inf.stats.lists).to.equal(1);
  });

  it('reconnects a stalled watch within the silence timeout', async () => {
    const kind = await namespace();
    const { informer: inf } = start(kind, { silenceTimeoutMs: 600 });
    await inf.start();
    sim.faults.stallWatches(true);
    const stalledAt = Date.now();
    await waitFor(() => inf.stats.watchdogReconnects >= 1, { timeoutMs: 3000 });
    expect(Date.now() - stalledAt).to.be.lessThan(2000);
    sim.faults.stallWatches(false);
    await kube.create(cm(kind, 'after-stall'));
    await waitFor(() => inf.cache.get(`${kind.namespace}/after-stall`), { timeoutMs: 5000 });
  });

  it('relists on 410 Gone and reports objects deleted meanwhile', async () => {
    const kind = await namespace();
    await kube.create(cm(kind, 'doomed'));
    await kube.create(cm(kind, 'survivor'));
    const { events, informer: inf } = start(kind);
    await inf.start();
    expect(inf.cache.size).to.equal(2);
    // Keep the informer from re-watching while the history moves past its resourceVersion.
    sim.faults.failNext({ method: 'GET', pathPrefix: `/api/v1/namespaces/${kind.namespace}/configmaps`, count: 10_000, code: 500 });
    sim.faults.dropWatches();
    await waitFor(() => inf.stats.failures >= 1, { timeoutMs: 5000 });
    await kube.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'doomed', namespace: kind.namespace ?? '' });
    for (let i = 0; i < 10; i++) await kube.create(cm(kind, `n${i}`));
    sim.faults.reset();
    await waitFor(() => inf.stats.gone >= 1 && inf.cache.size === 11, { timeoutMs: 10_000 });
    expect(events.filter((e) => e.type === 'deleted').map((e) => e.name)).to.deep.equal(['doomed']);
    expect(inf.cache.get(`${kind.namespace}/doomed`)).to.equal(undefined);
    expect(events.filter((e) => e.name === 'survivor').map((e) => e.type)).to.deep.equal(['added']);
  });

  it('backs off through 500s and 429s during the list and recovers', async () => {
    const kind = await namespace();
    await kube.create(cm(kind, 'a'));
    const path = `/api/v1/namespaces/${kind.namespace}/configmaps`;
    sim.faults.failNext({ method: 'GET', pathPrefix: path, count: 3, code: 500 });
    sim.faults.failNext({ method: 'GET', pathPrefix: path, count: 2, code: 429, retryAfterSeconds: 0 });
    const { informer: inf } = start(kind);
    await inf.start();
    expect(inf.stats.failures).to.equal(5);
    expect(inf.stats.lists).to.equal(6);
    expect(inf.hasSynced()).to.equal(true);
    expect(inf.cache.get(`${kind.namespace}/a`)?.metadata.name).to.equal('a');
  });

  it('emits resync for every cached object periodically and filters the cache', async () => {
    const kind = await namespace();
    await kube.create({ ...cm(kind, 'x'), metadata: { name: 'x', namespace: kind.namespace ?? '', labels: { app: 'x' } } });
    await kube.create(cm(kind, 'y'));
    const { events, informer: inf } = start(kind, { resyncMs: 100 });
    await inf.start();
    await waitFor(() => events.filter((e) => e.type === 'resync').length >= 4, { timeoutMs: 3000 });
    expect(inf.cache.list({ labelSelector: 'app=x' }).map((o) => o.metadata.name)).to.deep.equal(['x']);
    expect(inf.cache.list({ labelSelector: '!app' }).map((o) => o.metadata.name)).to.deep.equal(['y']);
    expect(inf.cache.list({ namespace: 'elsewhere' })).to.deep.equal([]);
  });

  it('caches and hands out what the transform keeps, for listed, watched and deleted objects', async () => {
    const kind = await namespace();
    await kube.create(cm(kind, 'listed'));
    const seen: KubeObject[] = [];
    informer = createInformer({
      kube, kind, log: silentLogger(), transform: trimPaths([['data']]),
      onEvent: (_type, object) => seen.push(object),
    });
    await informer.start();
    await kube.create(cm(kind, 'watched'));
    await waitFor(() => informer?.cache.size === 2, { timeoutMs: 5000 });
    for (const name of ['listed', 'watched']) {
      const cached = informer.cache.get(`${kind.namespace}/${name}`);
      expect(cached?.['data'], name).to.equal(undefined);
      expect(cached?.[trimmedField], name).to.have.key('data');
      expect(cached?.metadata.managedFields, name).to.equal(undefined);
    }
    await kube.delete({ ...kind, name: 'watched' });
    await waitFor(() => informer?.cache.size === 1, { timeoutMs: 5000 });
    expect(seen.map((o) => o['data'])).to.deep.equal([undefined, undefined, undefined]);
    expect(seen).to.have.length(3);
  });
});
