/** Sim lifecycle through the real @kubernetes/client-node: status subresource, finalizers, GC, namespaces, faults. */
import { expect } from 'chai';
import * as k8s from '@kubernetes/client-node';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { failureOf, namespace, startKit, watchEvents } from '../../test/helpers/sim-test-kit.ts';
import type { Kit } from '../../test/helpers/sim-test-kit.ts';

const GROUP = 'test.nimbus.dev';

async function gone(p: () => Promise<unknown>): Promise<boolean> {
  try { await p(); return false; } catch (err) { return err instanceof k8s.ApiException && err.code === 404; }
}

describe('sim lifecycle (client-node)', () => {
  let kit: Kit;
  before(async () => { kit = await startKit(); });
  after(async () => { await kit.sim.stop(); });

  it('establishes a CRD and applies status subresource and generation rules', async () => {
    await kit.ext.createCustomResourceDefinition({ body: {
      metadata: { name: `gizmos.${GROUP}` },
      spec: {
        group: GROUP, scope: 'Namespaced', names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo' },
        versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: {
          type: 'object', properties: {
            spec: { type: 'object', x_kubernetes_preserve_unknown_fields: true },
            status: { type: 'object', x_kubernetes_preserve_unknown_fields: true },
          },
        } } }],
      },
    } });
    const crd = await waitFor(async () => {
      const c = await kit.ext.readCustomResourceDefinition({ name: `gizmos.${GROUP}` });
      return c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True') ? c : undefined;
    });
    expect(crd.status?.acceptedNames?.kind).to.equal('Gizmo');
    await namespace(kit, 'crd');
    const base = { group: GROUP, version: 'v1', namespace: 'crd', plural: 'gizmos' };
    type Gizmo = { metadata: { generation: number; resourceVersion: string }; spec: Record<string, unknown>; status?: Record<string, unknown> };
    const created = await waitFor(async (): Promise<Gizmo | undefined> => {
      try {
        return await kit.custom.createNamespacedCustomObject({ ...base, body: {
          apiVersion: `${GROUP}/v1`, kind: 'Gizmo', metadata: { name: 'g' }, spec: { size: 1 }, status: { phase: 'ignored' },
        } }) as Gizmo;
      } catch { return undefined; }
    });
    expect(created.metadata.generation).to.equal(1);
    expect(created.status).to.equal(undefined);
    const withStatus = await kit.custom.replaceNamespacedCustomObjectStatus({ ...base, name: 'g', body: { ...created, spec: { size: 9 }, status: { phase: 'Ready' } } }) as Gizmo;
    expect(withStatus.status).to.deep.equal({ phase: 'Ready' });
    expect(withStatus.spec).to.deep.equal({ size: 1 });
    expect(withStatus.metadata.generation).to.equal(1);
    const specChange = await kit.custom.replaceNamespacedCustomObject({ ...base, name: 'g', body: { ...withStatus, spec: { size: 2 }, status: { phase: 'x' } } }) as Gizmo;
    expect(specChange.metadata.generation).to.equal(2);
    expect(specChange.status).to.deep.equal({ phase: 'Ready' });

    await kit.ext.deleteCustomResourceDefinition({ name: `gizmos.${GROUP}` });
    await waitFor(() => gone(() => kit.ext.readCustomResourceDefinition({ name: `gizmos.${GROUP}` })));
    const groups = await kit.kc.makeApiClient(k8s.ApisApi).getAPIVersions();
    expect(groups.groups.map((g) => g.name)).not.to.include(GROUP);
    expect(kit.sim.store.api.objects.count(`${GROUP}/gizmos`, 'crd')).to.equal(0);
  });

  it('keeps an object with a finalizer until the finalizer is removed', async () => {
    await namespace(kit, 'fin');
    await kit.core.createNamespacedConfigMap({ namespace: 'fin', body: { metadata: { name: 'held', finalizers: ['example.com/hold'] } } });
    await kit.core.deleteNamespacedConfigMap({ name: 'held', namespace: 'fin' });
    const deleting = await kit.core.readNamespacedConfigMap({ name: 'held', namespace: 'fin' });
    expect(deleting.metadata?.deletionTimestamp).to.be.instanceOf(Date);
    await kit.core.patchNamespacedConfigMap({ name: 'held', namespace: 'fin', body: [{ op: 'remove', path: '/metadata/finalizers' }] },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch));
    expect(await gone(() => kit.core.readNamespacedConfigMap({ name: 'held', namespace: 'fin' }))).to.equal(true);
  });

  async function ownerAndChild(ns: string, block = false): Promise<void> {
    await namespace(kit, ns);
    const owner = await kit.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'owner' } } });
    await kit.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'child', ownerReferences: [{
      apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata?.uid ?? '', ...(block ? { blockOwnerDeletion: true } : {}),
    }] } } });
  }

  it('garbage-collects dependents in the background', async () => {
    await ownerAndChild('gc-bg');
    await kit.core.deleteNamespacedConfigMap({ name: 'owner', namespace: 'gc-bg' });
    await waitFor(() => gone(() => kit.core.readNamespacedConfigMap({ name: 'child', namespace: 'gc-bg' })));
  });

  it('deletes dependents first with propagationPolicy=Foreground', async () => {
    await ownerAndChild('gc-fg', true);
    const w = await watchEvents(kit, '/api/v1/namespaces/gc-fg/configmaps', {});
    await kit.core.deleteNamespacedConfigMap({ name: 'owner', namespace: 'gc-fg', propagationPolicy: 'Foreground' });
    await waitFor(() => gone(() => kit.core.readNamespacedConfigMap({ name: 'owner', namespace: 'gc-fg' })));
    w.abort();
    const deletions = w.events.filter((e) => e.type === 'DELETED').map((e) => e.name);
    expect(deletions).to.deep.equal(['child', 'owner']);
  });

  it('orphans dependents with propagationPolicy=Orphan', async () => {
    await ownerAndChild('gc-orphan');
    await kit.core.deleteNamespacedConfigMap({ name: 'owner', namespace: 'gc-orphan', body: { propagationPolicy: 'Orphan' } });
    await waitFor(() => gone(() => kit.core.readNamespacedConfigMap({ name: 'owner', namespace: 'gc-orphan' })));
    const child = await kit.core.readNamespacedConfigMap({ name: 'child', namespace: 'gc-orphan' });
    expect(child.metadata?.ownerReferences).to.equal(undefined);
  });

  it('deletes a namespace with its contents', async () => {
    await namespace(kit, 'doomed');
    await kit.core.createNamespacedConfigMap({ namespace: 'doomed', body: { metadata: { name: 'inside' } } });
    const ns = await kit.core.deleteNamespace({ name: 'doomed' }) as unknown as k8s.V1Namespace;
    expect(ns.status?.phase).to.equal('Terminating');
    await waitFor(() => gone(() => kit.core.readNamespace({ name: 'doomed' })));
    expect(await gone(() => kit.core.readNamespacedConfigMap({ name: 'inside', namespace: 'doomed' }))).to.equal(true);
  });

  it('injects failures, latency, dropped and stalled watches, and counts requests', async () => {
    await namespace(kit, 'faults');
    kit.sim.faults.failNext({ method: 'GET', pathPrefix: '/api/v1/namespaces/faults/configmaps', count: 1, code: 503 });
    const failed = await failureOf(kit.core.listNamespacedConfigMap({ namespace: 'faults' }));
    expect([failed.code, failed.body.reason]).to.deep.equal([503, 'ServiceUnavailable']);
    kit.sim.faults.failNext({ count: 1, code: 429, retryAfterSeconds: 2 });
    const limited = await failureOf(kit.core.listNamespacedConfigMap({ namespace: 'faults' }));
    expect([limited.code, limited.body.details?.retryAfterSeconds]).to.deep.equal([429, 2]);
    expect((await kit.core.listNamespacedConfigMap({ namespace: 'faults' })).items).to.deep.equal([]);

    const before = kit.sim.faults.stats.list ?? 0;
    await kit.core.listNamespacedConfigMap({ namespace: 'faults' });
    expect(kit.sim.faults.stats.list).to.equal(before + 1);

    kit.sim.faults.setLatencyMs(150);
    const t0 = Date.now();
    await kit.core.listNamespacedConfigMap({ namespace: 'faults' });
    expect(Date.now() - t0).to.be.at.least(140);
    kit.sim.faults.reset();

    const w = await watchEvents(kit, '/api/v1/namespaces/faults/configmaps', {});
    kit.sim.faults.stallWatches(true);
    await kit.core.createNamespacedConfigMap({ namespace: 'faults', body: { metadata: { name: 'held-back' } } });
    expect(w.events).to.deep.equal([]);
    kit.sim.faults.stallWatches(false);
    await waitFor(() => w.events.some((e) => e.name === 'held-back'));
    kit.sim.faults.dropWatches();
    await w.done;
    expect(kit.sim.faults.openWatches).to.equal(0);
  });

  it('offers an in-process store with the API semantics', async () => {
    await namespace(kit, 'inproc');
    const seen: string[] = [];
    const stop = kit.sim.store.watch({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'inproc' }, (type, o) => seen.push(`${type} ${o.metadata.name ?? ''}`));
    const cm = kit.sim.store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'inproc' }, data: { a: '1' } });
    kit.sim.store.update({ ...cm, data: { a: '2' } });
    expect(kit.sim.store.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'inproc', name: 'x' })?.data).to.deep.equal({ a: '2' });
    expect(() => kit.sim.store.update({ ...cm, data: { a: '3' } })).to.throw('the object has been modified');
    kit.sim.store.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'inproc', name: 'x' });
    stop();
    expect(seen).to.deep.equal(['ADDED x', 'MODIFIED x', 'DELETED x']);
  });
});
