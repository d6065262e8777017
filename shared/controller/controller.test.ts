import { expect } from 'chai';
import { startApiServer } from '#sim/index.ts';
import type { ApiServer } from '#sim/index.ts';
import { createKubeClient } from '#shared/kube/client.ts';
import type { ClosableKubeClient } from '#shared/kube/client.ts';
import type { KindRef, KubeObject } from '#shared/kube/types.ts';
import { createMetrics } from '#shared/observability/metrics.ts';
import { createController } from './controller.ts';
import type { Controller, ControllerOptions } from './controller.ts';
import { writeStatusIfChanged } from './status.ts';
import { done, parseKey } from './types.ts';
import type { Reconciler } from './types.ts';
import { MapCache } from '#shared/watch/cache.ts';
import { trimmedField, trimOtherOperatorsData, trimPaths } from '#shared/watch/transform.ts';
import { cachedReads, peekCache } from './cached-client.ts';
import { registerWidgetCrd, testDeps, widgetKind } from './test-fixtures.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';

describe('controller (real client-node against the sim)', () => {
  let sim: ApiServer;
  let kube: ClosableKubeClient;
  const controllers: Controller[] = [];
  let nsCounter = 0;

  before(async () => {
    sim = await startApiServer({ quiet: true, kubelet: false, bookmarkIntervalMs: 200 });
    kube = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'nimbus-test' });
    await registerWidgetCrd(kube);
  });
  after(async () => {
    kube.close();
    await sim.stop();
  });
  afterEach(async () => {
    await Promise.all(controllers.splice(0).map((c) => c.stop()));
  });

  async function namespace(): Promise<string> {
    const name = `ctl-${++nsCounter}`;
    await kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    return name;
  }
  const cm = (namespace: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: {} });
  const cmKind = (namespace: string): KindRef => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace });

  function controller(options: Omit<ControllerOptions, 'deps' | 'name'> & { name?: string }): Controller {
    const c = createController({ name: 'test', deps: testDeps(kube), backoff: { initialMs: 20, maxMs: 2000 }, ...options });
    controllers.push(c);
    return c;
  }
  const idle = (c: Controller) => () => c.queue.depth === 0 && c.queue.inFlight === 0 && c.queue.delayedCount === 0;

  it('runs a key once more after 1,000 enqueues during its reconcile', async () => {
    const ns = await namespace();
    await kube.create(cm(ns, 'k'));
    let calls = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const metrics = createMetrics({ defaultMetrics: false });
    const c = controller({
      kind: cmKind(ns), concurrency: 4, metrics,
      reconcile: async () => { calls++; if (calls === 1) await gate; return done; },
    });
    await c.start();
    await waitFor(() => calls === 1);
    for (let i = 0; i < 1000; i++) c.enqueue(`${ns}/k`);
    release();
    await waitFor(() => calls === 2 && idle(c)());
    expect(calls).to.equal(2);
    expect(await metrics.text()).to.contain('controller_runtime_reconcile_total{controller="test",result="success"} 2');
  });

  it('never reconciles one key concurrently (concurrency 8)', async () => {
    const ns = await namespace();
    const keys = Array.from({ length: 10 }, (_, i) => `${ns}/k${i}`);
    const inFlight = new Set<string>();
    let overlaps = 0;
    let maxParallel = 0;
    let calls = 0;
    const c = controller({
      kind: cmKind(ns), concurrency: 8,
      reconcile: async (key) => {
        if (inFlight.has(key)) overlaps++;
        inFlight.add(key);
        maxParallel = Math.max(maxParallel, inFlight.size);
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 5));
        inFlight.delete(key);
        return done;
      },
    });
    await c.start();
    for (let round = 0; round < 30; round++) {
      for (const key of keys) c.enqueue(key);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(idle(c), { timeoutMs: 20_000 });
    expect(overlaps).to.equal(0);
    expect(maxParallel).to.be.greaterThan(1).and.at.most(8);
    expect(calls).to.be.at.least(keys.length);
  });

  it('backs off failing keys exponentially without blocking the others', async () => {
    const ns = await namespace();
    const badAttempts: number[] = [];
    let good = 0;
    const c = controller({
      kind: cmKind(ns), concurrency: 2, backoff: { initialMs: 40, maxMs: 5000 },
      reconcile: (key) => {
        if (parseKey(key).name === 'bad') { badAttempts.push(Date.now()); return Promise.reject(new Error('boom')); }
        good++;
        return Promise.resolve(done);
      },
    });
    await c.start();
    c.enqueue(`${ns}/bad`);
    await waitFor(() => badAttempts.length >= 6, { timeoutMs: 10_000 });
    const gaps = badAttempts.slice(1).map((t, i) => t - (badAttempts[i] ?? 0));
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).to.be.at.least((gaps[i - 1] ?? 0) - 15);
    expect(gaps[4]).to.be.at.least(4 * (gaps[0] ?? 0) - 20);
    for (let i = 0; i < 5; i++) c.enqueue(`${ns}/good${i}`);
    await waitFor(() => good === 5, { timeoutMs: 1000 });
    expect(c.queue.failuresOf(`${ns}/bad`)).to.be.at.least(6);
  });

  it('causes no reconcile storm: its own status write and an unchanged status wake nothing', async () => {
    const ns = await namespace();
    const reconciles = new Map<string, number>();
    const writes = new Map<string, number>();
    const reconcile: Reconciler = async (key, deps) => {
      reconciles.set(key, (reconciles.get(key) ?? 0) + 1);
      const { name, namespace: n } = parseKey(key);
      const widget = await deps.kube.tryGet({ ...widgetKind, name, namespace: n ?? '' });
      if (!widget) return done;
      const wrote = await writeStatusIfChanged(deps.kube, widget, { phase: 'Ready', observedGeneration: widget.metadata.generation });
      if (wrote) writes.set(key, (writes.get(key) ?? 0) + 1);
      return done;
    };
    const c = controller({ kind: { ...widgetKind, namespace: ns }, reconcile });
    await c.start();
    await kube.create({ ...widgetKind, metadata: { name: 'w1', namespace: ns }, spec: { size: 1 } });
    await waitFor(() => (writes.get(`${ns}/w1`) ?? 0) >= 1 && idle(c)());
    // A later object's events come after any event w1 could still cause: a barrier instead of a sleep.
    await kube.create({ ...widgetKind, metadata: { name: 'w2', namespace: ns }, spec: { size: 1 } });
    await waitFor(() => (writes.get(`${ns}/w2`) ?? 0) >= 1 && idle(c)());
    expect(reconciles.get(`${ns}/w1`)).to.equal(1);
    expect(writes.get(`${ns}/w1`)).to.equal(1);
    const stored = await kube.get({ ...widgetKind, name: 'w1', namespace: ns });
    expect(stored['status']).to.deep.equal({ phase: 'Ready', observedGeneration: 1 });
    // A spec change (and a label change) still wakes it, and an unchanged status is not written again.
    await kube.patch({ ...widgetKind, name: 'w1', namespace: ns }, { metadata: { labels: { a: 'b' } }, spec: { size: 2 } }, 'merge');
    await waitFor(() => (writes.get(`${ns}/w1`) ?? 0) >= 2 && idle(c)());
    expect(reconciles.get(`${ns}/w1`)).to.equal(2);
  });

  it('serves the reconciler\'s reads of watched kinds from the cache, copies included', async () => {
    const ns = await namespace();
    await kube.create(cm(ns, 'cached'));
    const read: KubeObject[] = [];
    const c = controller({
      kind: cmKind(ns),
      reconcile: async (key, deps) => {
        const { name, namespace: n } = parseKey(key);
        const object = await deps.kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: n ?? '' });
        object.metadata.labels = { mutated: 'by the reconciler' };
        read.push(object);
        return done;
      },
    });
    await c.start();
    const getsBefore = sim.faults.stats['get'] ?? 0;
    c.enqueue(`${ns}/cached`);
    c.enqueue(`${ns}/cached`);
    await waitFor(() => read.length >= 1 && idle(c)());
    c.enqueue(`${ns}/cached`);
    await waitFor(() => read.length >= 2 && idle(c)());
    expect(sim.faults.stats['get'] ?? 0).to.equal(getsBefore);
    expect(read[1]?.metadata.labels).to.deep.equal({ mutated: 'by the reconciler' });
    expect(c.cacheOf(cmKind(ns))?.get(`${ns}/cached`)?.metadata.labels).to.equal(undefined);
    expect(read.every((o) => o.metadata.managedFields === undefined)).to.equal(true);
  });

  it('wakes the owner when an owned child changes', async () => {
    const ns = await namespace();
    const seen: string[] = [];
    const c = controller({
      kind: { ...widgetKind, namespace: ns }, owns: [{ apiVersion: 'v1', kind: 'ConfigMap' }],
      reconcile: (key) => { seen.push(key); return Promise.resolve(done); },
    });
    await c.start();
    const owner = await kube.create({ ...widgetKind, metadata: { name: 'parent', namespace: ns } });
    await waitFor(() => seen.includes(`${ns}/parent`));
    seen.length = 0;
    await kube.create({ ...cm(ns, 'child'), metadata: { name: 'child', namespace: ns, ownerReferences: [{ apiVersion: widgetKind.apiVersion, kind: 'Widget', name: 'parent', uid: owner.metadata.uid ?? '', controller: true }] } });
    await waitFor(() => seen.includes(`${ns}/parent`));
  });

  it('with ownedLabelSelector, watches and caches only the labelled children, and still reads them from the cache', async () => {
    const ns = await namespace();
    const seen: string[] = [];
    const read: Array<KubeObject | undefined> = [];
    const c = controller({
      kind: { ...widgetKind, namespace: ns }, owns: [{ apiVersion: 'v1', kind: 'ConfigMap' }], ownedLabelSelector: 'mine=yes',
      reconcile: async (key, deps) => {
        seen.push(key);
        read.push(await deps.kube.tryGet({ apiVersion: 'v1', kind: 'ConfigMap', name: 'labelled', namespace: ns }));
        return done;
      },
    });
    await c.start();
    const owner = await kube.create({ ...widgetKind, metadata: { name: 'parent', namespace: ns } });
    await waitFor(() => seen.includes(`${ns}/parent`) && idle(c)());
    const ownerReferences = [{ apiVersion: widgetKind.apiVersion, kind: 'Widget', name: 'parent', uid: owner.metadata.uid ?? '', controller: true }];
    await kube.create({ ...cm(ns, 'unlabelled'), metadata: { name: 'unlabelled', namespace: ns, ownerReferences } });
    await kube.create({ ...cm(ns, 'labelled'), metadata: { name: 'labelled', namespace: ns, labels: { mine: 'yes' }, ownerReferences } });
    await waitFor(() => read.some((o) => o?.metadata.name === 'labelled') && idle(c)());
    expect(c.cacheOf({ apiVersion: 'v1', kind: 'ConfigMap' })?.list().map((o) => o.metadata.name)).to.deep.equal(['labelled']);
  });

  it('keeps what ownedTransform and a watch transform keep in their caches, still wakes the owner, reads partial objects from the server', async () => {
    const ns = await namespace();
    const seen: string[] = [];
    const read: Array<KubeObject | undefined> = [];
    const c = controller({
      kind: { ...widgetKind, namespace: ns }, owns: [{ apiVersion: 'v1', kind: 'ConfigMap' }], ownedTransform: trimPaths([['data']]),
      watches: [{ kind: { apiVersion: 'v1', kind: 'Secret' }, map: () => [`${ns}/parent`], transform: trimPaths([['data']]) }],
      reconcile: async (key, deps) => {
        seen.push(key);
        read.push(await deps.kube.tryGet({ apiVersion: 'v1', kind: 'ConfigMap', name: 'child', namespace: ns }));
        return done;
      },
    });
    await c.start();
    const owner = await kube.create({ ...widgetKind, metadata: { name: 'parent', namespace: ns } });
    await waitFor(() => seen.includes(`${ns}/parent`) && idle(c)());
    const ownerReferences = [{ apiVersion: widgetKind.apiVersion, kind: 'Widget', name: 'parent', uid: owner.metadata.uid ?? '', controller: true }];
    await kube.create({ ...cm(ns, 'child'), metadata: { name: 'child', namespace: ns, ownerReferences }, data: { big: 'x'.repeat(1000) } });
    await waitFor(() => read.some((o) => o?.metadata.name === 'child') && idle(c)());
    const cached = c.cacheOf({ apiVersion: 'v1', kind: 'ConfigMap' })?.get(`${ns}/child`);
    expect(cached?.['data'], 'the cache keeps the trimmed form').to.equal(undefined);
    expect(cached?.[trimmedField]).to.have.key('data');
    // Trimmed data is partial: the reconciler's read of it is the server's copy.
    expect(read.find((o) => o?.metadata.name === 'child')?.['data']).to.deep.equal({ big: 'x'.repeat(1000) });
    await kube.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: ns }, data: { k: 'dg==' } });
    const secrets = c.cacheOf({ apiVersion: 'v1', kind: 'Secret' });
    await waitFor(() => secrets?.get(`${ns}/s`) !== undefined);
    expect(secrets?.get(`${ns}/s`)?.['data']).to.equal(undefined);
  });

  it('never hands out a partial cached object as the server\'s: reads of it go to the server', async () => {
    const ns = await namespace();
    const labels = { 'app.kubernetes.io/managed-by': 'nimbus-other' };
    const secret = await kube.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'theirs', namespace: ns, labels }, data: { k: 'dg==' } });
    const own = await kube.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ours', namespace: ns }, data: { k: 'dg==' } });
    const cache = new MapCache();
    const trim = trimOtherOperatorsData('nimbus-mine');
    cache.set(trim(secret));
    cache.set(trim(own));
    const client = cachedReads(kube, () => cache);
    const ref = { apiVersion: 'v1', kind: 'Secret', namespace: ns, name: 'theirs' };
    expect(peekCache(client, ref), 'no answer: ask the server').to.equal(undefined);
    expect(peekCache(client, { ...ref, name: 'ours' })?.object?.['data']).to.deep.equal({ k: 'dg==' });
    expect((await client.tryGet(ref))?.['data']).to.deep.equal({ k: 'dg==' });
    expect((await client.get(ref))['data']).to.deep.equal({ k: 'dg==' });
    const listed = await client.list({ apiVersion: 'v1', kind: 'Secret', namespace: ns });
    expect(listed.items.find((o) => o.metadata.name === 'theirs')?.['data']).to.deep.equal({ k: 'dg==' });
  });

  it('elects one leader; a standby takes over when the leader stops', async () => {
    const ns = await namespace();
    await kube.create(cm(ns, 'x'));
    const byInstance = { a: 0, b: 0 };
    const make = (identity: 'a' | 'b'): Controller => controller({
      name: `le-${identity}`, kind: cmKind(ns),
      leaderElection: { leaseName: 'test-leader', namespace: ns, identity, leaseDurationMs: 1500, renewMs: 200 },
      reconcile: () => { byInstance[identity]++; return Promise.resolve(done); },
    });
    const a = make('a');
    await a.start();
    await waitFor(() => a.isLeader() && byInstance.a >= 1);
    const b = make('b');
    await b.start();
    await waitFor(() => b.ready());
    b.enqueue(`${ns}/x`);
    a.enqueue(`${ns}/x`);
    await waitFor(() => byInstance.a >= 2);
    expect(b.isLeader()).to.equal(false);
    expect(byInstance.b).to.equal(0);
    const stoppedAt = Date.now();
    await a.stop();
    await waitFor(() => b.isLeader() && byInstance.b >= 1, { timeoutMs: 5000 });
    expect(Date.now() - stoppedAt).to.be.lessThan(1500);
  });

  it('takes over a lease whose holder stopped renewing after the lease duration', async () => {
    const ns = await namespace();
    const now = new Date().toISOString().replace('Z', '000Z');
    await kube.create({
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'ghost-lease', namespace: ns },
      spec: { holderIdentity: 'ghost', leaseDurationSeconds: 1, renewTime: now, acquireTime: now, leaseTransitions: 0 },
    });
    const c = controller({
      kind: cmKind(ns), reconcile: () => Promise.resolve(done),
      leaderElection: { leaseName: 'ghost-lease', namespace: ns, identity: 'me', leaseDurationMs: 1000, renewMs: 100 },
    });
    const startedAt = Date.now();
    await c.start();
    await waitFor(() => c.isLeader(), { timeoutMs: 5000 });
    expect(Date.now() - startedAt).to.be.at.least(1000).and.lessThan(2500);
    const lease = await kube.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: 'ghost-lease', namespace: ns });
    expect(lease['spec']).to.deep.include({ holderIdentity: 'me', leaseTransitions: 1 });
  });
});
