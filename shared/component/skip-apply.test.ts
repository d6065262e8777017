import { expect } from 'chai';
import { startApiServer, type ApiServer } from '#sim/index.ts';
import { createKubeClient, type ClosableKubeClient } from '#shared/kube/client.ts';
import { silentLogger } from '#shared/observability/logger.ts';
import { createInformer, type Informer } from '#shared/watch/informer.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import { trimmedField, trimPodTemplates } from '#shared/watch/transform.ts';
import { AppliedMemory, isSubset } from './skip-apply.ts';

const cm = (data: Record<string, string>, labels: Record<string, string> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', labels }, data });

describe('skipping no-op applies', () => {
  it('isSubset: members of desired must match; arrays element-wise with the same length', () => {
    expect(isSubset({ a: 1, b: { c: 'x' } }, { a: 1, b: { c: 'x', d: 2 }, e: 3 })).to.equal(true);
    expect(isSubset({ a: 1 }, { a: 2 })).to.equal(false);
    expect(isSubset({ a: { b: 1 } }, {})).to.equal(false);
    expect(isSubset([{ name: 'x' }], [{ name: 'x', defaulted: true }])).to.equal(true);
    expect(isSubset([{ name: 'x' }], [{ name: 'x' }, { name: 'y' }])).to.equal(false);
    expect(isSubset({ a: undefined }, {})).to.equal(true);
  });

  it('skips only what was applied before, unchanged, and is still there', () => {
    const memory = new AppliedMemory();
    const desired = cm({ k: 'v' }, { app: 'x' });
    const live = { ...cm({ k: 'v' }, { app: 'x', added: 'by-someone' }), metadata: { ...desired.metadata, resourceVersion: '7', labels: { app: 'x', added: 'y' } } };
    expect(memory.unchanged(desired, live), 'never applied').to.equal(false);
    memory.remember(desired);
    expect(memory.unchanged(desired, live)).to.equal(true);
    expect(memory.unchanged(desired, undefined), 'deleted meanwhile').to.equal(false);
    expect(memory.unchanged(desired, cm({ k: 'edited' }, { app: 'x' })), 'drift').to.equal(false);
    // A label dropped from the desired object: the apply must run (SSA removes it), although desired ⊆ live.
    expect(memory.unchanged(cm({ k: 'v' }), live)).to.equal(false);
    memory.forget(desired);
    expect(memory.unchanged(desired, live)).to.equal(false);
  });

  const deployment = (image: string, extra: Record<string, string> = {}): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' },
    spec: { replicas: 1, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image, ...extra }] } } },
  });
  /** What the server stores: our fields plus defaults, with a status. */
  const stored = (image: string): KubeObject => ({
    ...deployment(image, { imagePullPolicy: 'IfNotPresent' }),
    metadata: { name: 'd', namespace: 'n', resourceVersion: '5', generation: 1 }, status: { readyReplicas: 1 },
  });

  it('against a trimmed cache: compares the pod template by the digest of what our apply stored', () => {
    const memory = new AppliedMemory();
    const desired = deployment('i:1');
    memory.remember(desired);
    expect(memory.unchanged(desired, trimPodTemplates(stored('i:1'))), 'apply result not recorded').to.equal(false);
    memory.remember(desired, stored('i:1'));
    expect(memory.unchanged(desired, trimPodTemplates(stored('i:1')))).to.equal(true);
    expect(memory.unchanged(desired, stored('i:1')), 'an untrimmed cache still works').to.equal(true);
    expect(memory.unchanged(desired, trimPodTemplates(stored('i:2'))), 'someone edited the template').to.equal(false);
    const scaled = { ...trimPodTemplates(stored('i:1')), spec: { replicas: 3 } };
    expect(memory.unchanged(desired, scaled), 'drift outside the template').to.equal(false);
    expect(memory.unchanged(deployment('i:2'), trimPodTemplates(stored('i:1'))), 'desired changed').to.equal(false);
  });

  it('unchangedAt: skips by version alone for the version our apply stored or a check saw, nothing else', () => {
    const memory = new AppliedMemory();
    const desired = cm({ k: 'v' });
    const at = (rv: string): KubeObject => ({ ...desired, metadata: { ...desired.metadata, resourceVersion: rv } });
    expect(memory.unchangedAt(desired, '3'), 'never applied').to.equal(false);
    memory.remember(desired, at('3'));
    expect(memory.unchangedAt(desired, '3')).to.equal(true);
    expect(memory.unchangedAt(desired, '4'), 'another version: look at it').to.equal(false);
    expect(memory.unchangedAt(desired, undefined)).to.equal(false);
    expect(memory.unchangedAt(cm({ k: 'other' }), '3'), 'desired changed').to.equal(false);
    // Version 4 checked and found to show everything: from now on version 4 needs no look.
    expect(memory.unchanged(desired, at('4'))).to.equal(true);
    expect(memory.unchangedAt(desired, '4')).to.equal(true);
    expect(memory.unchangedAt(desired, '3')).to.equal(false);
    // A drifted version is never recorded.
    expect(memory.unchanged(desired, { ...cm({ k: 'edited' }), metadata: { ...desired.metadata, resourceVersion: '5' } })).to.equal(false);
    expect(memory.unchangedAt(desired, '5')).to.equal(false);
  });

  it('forgets a child that is gone', () => {
    const memory = new AppliedMemory();
    const desired = cm({ k: 'v' });
    memory.remember(desired);
    expect(memory.size).to.equal(1);
    expect(memory.unchanged(desired, undefined)).to.equal(false);
    expect(memory.size).to.equal(0);
  });
});

/**
 * The assumption skip-apply makes against a trimming cache, checked on the real path: the digest of the pod template
 * in what an apply returns equals the one the informer computes from the watch event of that write.
 */
describe('skipping no-op applies against a trimming informer cache (sim)', () => {
  let sim: ApiServer;
  let kube: ClosableKubeClient;
  let informer: Informer | undefined;

  before(async () => {
    sim = await startApiServer({ quiet: true, kubelet: false });
    kube = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'nimbus-test' });
  });
  after(async () => {
    informer?.stop();
    kube.close();
    await sim.stop();
  });

  const deployment = (image: string): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
    },
  });

  it('skips the unchanged apply and notices a template edited by someone else', async () => {
    const kind = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default' };
    informer = createInformer({ kube, kind, log: silentLogger(), transform: trimPodTemplates, onEvent: () => {} });
    await informer.start();
    const cache = informer.cache;
    const memory = new AppliedMemory();
    const desired = deployment('web:1');
    const stored = await kube.apply(desired);
    memory.remember(desired, stored);
    await waitFor(() => cache.get('default/web')?.metadata.resourceVersion === stored.metadata.resourceVersion);
    const cached = cache.get('default/web');
    expect(cached?.[trimmedField], 'the cache keeps a digest, not the template').to.have.key('spec.template');
    expect(memory.unchanged(desired, cached)).to.equal(true);

    // Another manager changes the pod template: drift, although nothing else changed.
    const edited = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'someone-else' });
    try {
      const other = await edited.patch({ ...kind, name: 'web' },
        { spec: { template: { metadata: { annotations: { restartedAt: 'now' } } } } }, 'merge');
      await waitFor(() => cache.get('default/web')?.metadata.resourceVersion === other.metadata.resourceVersion);
    } finally {
      edited.close();
    }
    expect(memory.unchanged(desired, cache.get('default/web'))).to.equal(false);
  });
});