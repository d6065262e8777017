/** The sim core through the real @kubernetes/client-node: discovery, CRUD, errors, selectors, watch. */
import { expect } from 'chai';
import * as k8s from '@kubernetes/client-node';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { failureOf, namespace, startKit, watchEvents } from '../../test/helpers/sim-test-kit.ts';
import type { Kit } from '../../test/helpers/sim-test-kit.ts';

describe('sim core (client-node)', () => {
  let kit: Kit;
  before(async () => { kit = await startKit({ bookmarkIntervalMs: 100, compactionMs: 300 }); });
  after(async () => { await kit.sim.stop(); });

  it('serves discovery', async () => {
    const core = await kit.kc.makeApiClient(k8s.CoreApi).getAPIVersions();
    expect(core.versions).to.deep.equal(['v1']);
    const groups = await kit.kc.makeApiClient(k8s.ApisApi).getAPIVersions();
    expect(groups.groups.map((g) => g.name)).to.include.members(['apps', 'batch', 'coordination.k8s.io', 'apiextensions.k8s.io']);
    const res = await kit.core.getAPIResources();
    const cm = res.resources.find((r) => r.name === 'configmaps');
    expect(cm?.shortNames).to.deep.equal(['cm']);
    expect(res.resources.map((r) => r.name)).to.include.members(['namespaces/status', 'serviceaccounts/token']);
  });

  it('creates, reads, updates and deletes with the real error reasons', async () => {
    await namespace(kit, 'crud');
    const created = await kit.core.createNamespacedConfigMap({ namespace: 'crud', body: { metadata: { name: 'a' }, data: { k: 'v' } } });
    expect(created.metadata?.uid).to.be.a('string');
    const dup = await failureOf(kit.core.createNamespacedConfigMap({ namespace: 'crud', body: { metadata: { name: 'a' } } }));
    expect(dup.code).to.equal(409);
    expect(dup.body.reason).to.equal('AlreadyExists');
    const updated = await kit.core.replaceNamespacedConfigMap({ name: 'a', namespace: 'crud', body: { ...created, data: { k: 'w' } } });
    expect(Number(updated.metadata?.resourceVersion)).to.be.greaterThan(Number(created.metadata?.resourceVersion));
    const stale = await failureOf(kit.core.replaceNamespacedConfigMap({ name: 'a', namespace: 'crud', body: { ...created, data: { k: 'x' } } }));
    expect(stale.code).to.equal(409);
    expect(stale.body.reason).to.equal('Conflict');
    const noName = await failureOf(kit.core.createNamespacedConfigMap({ namespace: 'crud', body: { metadata: {} } }));
    expect([noName.code, noName.body.reason]).to.deep.equal([422, 'Invalid']);
    const deleted = await kit.core.deleteNamespacedConfigMap({ name: 'a', namespace: 'crud' });
    expect(deleted.status).to.equal('Success');
    const gone = await failureOf(kit.core.readNamespacedConfigMap({ name: 'a', namespace: 'crud' }));
    expect(gone.code).to.equal(404);
    expect(gone.body.message).to.equal('configmaps "a" not found');
  });

  it('appends 5 random characters to generateName', async () => {
    await namespace(kit, 'gen');
    const cm = await kit.core.createNamespacedConfigMap({ namespace: 'gen', body: { metadata: { generateName: 'x-' } } });
    expect(cm.metadata?.name).to.match(/^x-[a-z0-9]{5}$/);
  });

  it('answers 404 for objects in a missing namespace, an empty list for its collection', async () => {
    const create = await failureOf(kit.core.createNamespacedConfigMap({ namespace: 'nowhere', body: { metadata: { name: 'x' } } }));
    expect(create.body.message).to.equal('namespaces "nowhere" not found');
    const list = await kit.core.listNamespacedConfigMap({ namespace: 'nowhere' });
    expect(list.items).to.deep.equal([]);
  });

  it('filters lists by label and field selectors', async () => {
    await namespace(kit, 'sel');
    const mk = (name: string, labels: Record<string, string>): Promise<unknown> =>
      kit.core.createNamespacedConfigMap({ namespace: 'sel', body: { metadata: { name, labels } } });
    await mk('front', { tier: 'front', env: 'prod' });
    await mk('back', { tier: 'back' });
    await mk('bare', {});
    const names = async (labelSelector?: string, fieldSelector?: string): Promise<string[]> =>
      (await kit.core.listNamespacedConfigMap({ namespace: 'sel', ...(labelSelector ? { labelSelector } : {}), ...(fieldSelector ? { fieldSelector } : {}) }))
        .items.map((i) => i.metadata?.name ?? '').sort();
    expect(await names('tier=front')).to.deep.equal(['front']);
    expect(await names('tier!=front')).to.deep.equal(['back', 'bare']);
    expect(await names('tier in (front,back)')).to.deep.equal(['back', 'front']);
    expect(await names('tier notin (front)')).to.deep.equal(['back', 'bare']);
    expect(await names('env')).to.deep.equal(['front']);
    expect(await names('!env')).to.deep.equal(['back', 'bare']);
    expect(await names(undefined, 'metadata.name=back')).to.deep.equal(['back']);
    const bad = await failureOf(kit.core.listNamespacedConfigMap({ namespace: 'sel', fieldSelector: 'data.a=1' }));
    expect(bad.code).to.equal(400);
    expect(bad.body.message).to.equal('"data.a" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  it('replays a watch from a resourceVersion in order and ends it after timeoutSeconds', async () => {
    await namespace(kit, 'w');
    const start = await kit.core.listNamespacedConfigMap({ namespace: 'w' });
    await kit.core.createNamespacedConfigMap({ namespace: 'w', body: { metadata: { name: 'w1', labels: { case: 'w' } }, data: { v: '1' } } });
    await kit.core.createNamespacedConfigMap({ namespace: 'w', body: { metadata: { name: 'other' } } });
    await kit.core.patchNamespacedConfigMap({ name: 'w1', namespace: 'w', body: { data: { v: '2' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await kit.core.deleteNamespacedConfigMap({ name: 'w1', namespace: 'w' });
    const w = await watchEvents(kit, '/api/v1/namespaces/w/configmaps', {
      resourceVersion: start.metadata?.resourceVersion, labelSelector: 'case=w', timeoutSeconds: 1,
    });
    await w.done;
    expect(w.events.map((e) => `${e.type} ${e.name ?? ''}`)).to.deep.equal(['ADDED w1', 'MODIFIED w1', 'DELETED w1']);
  });

  it('starts a watch without resourceVersion with the current objects, then follows changes and sends bookmarks', async () => {
    await namespace(kit, 'live');
    await kit.core.createNamespacedConfigMap({ namespace: 'live', body: { metadata: { name: 'pre' } } });
    const w = await watchEvents(kit, '/api/v1/namespaces/live/configmaps', { allowWatchBookmarks: true });
    await kit.core.createNamespacedConfigMap({ namespace: 'live', body: { metadata: { name: 'post' } } });
    await waitFor(() => w.events.some((e) => e.type === 'BOOKMARK') && w.events.some((e) => e.name === 'post'));
    w.abort();
    expect(w.events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.name ?? ''}`)).to.deep.equal(['ADDED pre', 'ADDED post']);
    const bookmark = w.events.find((e) => e.type === 'BOOKMARK')!;
    expect((bookmark.object.metadata as { resourceVersion?: unknown }).resourceVersion).to.be.a('string');
  });

  it('answers a watch from a compacted resourceVersion with an ERROR 410 Expired event', async () => {
    await namespace(kit, 'old');
    const start = await kit.core.listNamespacedEvent({ namespace: 'old' });
    await kit.core.createNamespacedEvent({ namespace: 'old', body: {
      metadata: { name: 'e1' }, involvedObject: { kind: 'ConfigMap', name: 'x', namespace: 'old' }, reason: 'Test', message: 'm',
    } });
    const status = await waitFor(async () => {
      const w = await watchEvents(kit, '/api/v1/namespaces/old/events', { resourceVersion: start.metadata?.resourceVersion, timeoutSeconds: 1 });
      await w.done;
      const first = w.events[0];
      return first?.type === 'ERROR' ? first.object : undefined;
    }, { timeoutMs: 10_000, intervalMs: 100 });
    expect(status).to.include({ code: 410, reason: 'Expired', message: 'The resourceVersion for the provided watch is too old.' });
  });

  it('applies server-side (KubernetesObjectApi, ServerSideApply) and keeps a re-apply a no-op', async () => {
    await namespace(kit, 'ssa');
    const spec: k8s.KubernetesObject & { data: Record<string, string> } = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace: 'ssa' }, data: { a: '1' } };
    const first = await kit.objects.patch(spec, undefined, undefined, 'tester', true, k8s.PatchStrategy.ServerSideApply);
    const again = await kit.objects.patch(spec, undefined, undefined, 'tester', true, k8s.PatchStrategy.ServerSideApply);
    expect(again.metadata?.resourceVersion).to.equal(first.metadata?.resourceVersion);
    expect((await kit.core.readNamespacedConfigMap({ name: 'applied', namespace: 'ssa' })).data).to.deep.equal({ a: '1' });
  });

  it('honours dryRun=All', async () => {
    await namespace(kit, 'dry');
    await kit.core.createNamespacedConfigMap({ namespace: 'dry', dryRun: 'All', body: { metadata: { name: 'ghost' } } });
    expect((await failureOf(kit.core.readNamespacedConfigMap({ name: 'ghost', namespace: 'dry' }))).code).to.equal(404);
  });
});
