/**
 * Deletion held by finalizers, through the real client-node: a namespace waits for its `spec.finalizers` (removed
 * through `/finalize`), a CRD waits for the finalizers of its custom resources before it goes.
 */
import { expect } from 'chai';
import * as k8s from '@kubernetes/client-node';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { failureOf, namespace, startKit } from '../../test/helpers/sim-test-kit.ts';
import type { Kit } from '../../test/helpers/sim-test-kit.ts';

const GROUP = 'fin.nimbus.dev';

async function gone(p: () => Promise<unknown>): Promise<boolean> {
  try { await p(); return false; } catch (err) { return err instanceof k8s.ApiException && err.code === 404; }
}

describe('sim finalizers of namespaces and CRDs (client-node)', () => {
  let kit: Kit;
  before(async () => { kit = await startKit({ kubelet: false }); });
  after(async () => { await kit.sim.stop(); });

  it('keeps a Terminating namespace until its spec.finalizers are removed through /finalize', async () => {
    await namespace(kit, 'held');
    const ns = await kit.core.readNamespace({ name: 'held' });
    expect(ns.spec?.finalizers).to.deep.equal(['kubernetes']);
    await kit.core.replaceNamespaceFinalize({ name: 'held', body: { ...ns, spec: { finalizers: ['kubernetes', 'example.com/hold'] } } });
    await kit.core.createNamespacedConfigMap({ namespace: 'held', body: { metadata: { name: 'c' } } });
    await kit.core.deleteNamespace({ name: 'held' });
    // Contents go, the controller drops its own `kubernetes` finalizer, the other one holds the namespace.
    const left = await waitFor(async () => {
      const n = await kit.core.readNamespace({ name: 'held' });
      return n.spec?.finalizers?.length === 1 ? n : undefined;
    });
    expect(left.spec?.finalizers).to.deep.equal(['example.com/hold']);
    expect(left.status?.phase).to.equal('Terminating');
    expect((await kit.core.listNamespacedConfigMap({ namespace: 'held' })).items).to.deep.equal([]);
    await kit.core.replaceNamespaceFinalize({ name: 'held', body: { ...left, spec: { finalizers: [] } } });
    await waitFor(() => gone(() => kit.core.readNamespace({ name: 'held' })));
  });

  it('deletes a CRD only after the finalizers of its custom resources ran', async () => {
    await kit.ext.createCustomResourceDefinition({ body: {
      metadata: { name: `bolts.${GROUP}` },
      spec: {
        group: GROUP, scope: 'Namespaced', names: { plural: 'bolts', singular: 'bolt', kind: 'Bolt' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } } }],
      },
    } });
    await namespace(kit, 'bolts');
    const base = { group: GROUP, version: 'v1', namespace: 'bolts', plural: 'bolts' };
    await waitFor(async () => {
      try {
        return await kit.custom.createNamespacedCustomObject({ ...base, body: {
          apiVersion: `${GROUP}/v1`, kind: 'Bolt', metadata: { name: 'b', finalizers: ['fin.nimbus.dev/cleanup'] },
        } }) as unknown;
      } catch { return undefined; }
    });
    await kit.ext.deleteCustomResourceDefinition({ name: `bolts.${GROUP}` });
    type Bolt = { metadata: { deletionTimestamp?: string; finalizers?: string[] } };
    const deleting = await waitFor(async () => {
      const b = await kit.custom.getNamespacedCustomObject({ ...base, name: 'b' }) as Bolt;
      return b.metadata.deletionTimestamp ? b : undefined;
    });
    expect(deleting.metadata.finalizers).to.deep.equal(['fin.nimbus.dev/cleanup']);
    const crd = await kit.ext.readCustomResourceDefinition({ name: `bolts.${GROUP}` });
    expect(crd.status?.conditions?.find((c) => c.type === 'Terminating')).to.include({ status: 'True', reason: 'InstanceDeletionInProgress' });
    const refused = await failureOf(kit.custom.createNamespacedCustomObject({ ...base, body: { apiVersion: `${GROUP}/v1`, kind: 'Bolt', metadata: { name: 'late' } } }));
    expect([refused.code, refused.body.message]).to.deep.equal([405, 'create not allowed while custom resource definition is terminating']);
    // The operator's finalizer runs: the custom resource goes, then the CRD.
    await kit.custom.patchNamespacedCustomObject({ ...base, name: 'b', body: { metadata: { finalizers: null } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await waitFor(() => gone(() => kit.ext.readCustomResourceDefinition({ name: `bolts.${GROUP}` })));
    const groups = await kit.kc.makeApiClient(k8s.ApisApi).getAPIVersions();
    expect(groups.groups.map((g) => g.name)).not.to.include(GROUP);
  });
});
