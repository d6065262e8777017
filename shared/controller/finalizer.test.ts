import { expect } from 'chai';
import { startApiServer } from '#sim/index.ts';
import type { ApiServer } from '#sim/index.ts';
import { createKubeClient } from '#shared/kube/client.ts';
import type { ClosableKubeClient } from '#shared/kube/client.ts';
import { ConflictError } from '#shared/kube/errors.ts';
import { ensureFinalizer, removeFinalizer } from './finalizer.ts';
import { recordEvent } from './events.ts';
import { writeStatusIfChanged } from './status.ts';

describe('finalizer, status and event helpers (against the sim)', () => {
  let sim: ApiServer;
  let kube: ClosableKubeClient;
  const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'f', namespace: 'default' };

  before(async () => {
    sim = await startApiServer({ quiet: true, kubelet: false });
    kube = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'nimbus-test' });
  });
  after(async () => {
    kube.close();
    await sim.stop();
  });

  it('adds and removes a finalizer, keeping the others, and refuses a stale object', async () => {
    const created = await kube.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f', namespace: 'default', finalizers: ['other.dev/x'] } });
    const withOurs = await ensureFinalizer(kube, created, 'nimbus.dev/test');
    expect(withOurs.metadata.finalizers).to.deep.equal(['other.dev/x', 'nimbus.dev/test']);
    expect(await ensureFinalizer(kube, withOurs, 'nimbus.dev/test')).to.equal(withOurs);
    expect(await removeFinalizer(kube, created, 'nimbus.dev/test').then(() => 'no-op')).to.equal('no-op');
    const stale = await ensureFinalizer(kube, created, 'nimbus.dev/another').catch((e: unknown) => e);
    expect(stale).to.be.instanceOf(ConflictError);
    const removed = await removeFinalizer(kube, withOurs, 'nimbus.dev/test');
    expect(removed.metadata.finalizers).to.deep.equal(['other.dev/x']);
    await removeFinalizer(kube, removed, 'other.dev/x');
    await kube.delete(ref);
    expect(await kube.tryGet(ref)).to.equal(undefined);
  });

  it('writes status only when it changed', async () => {
    const deployment = await kube.create({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 's', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 's' } }, template: { metadata: { labels: { app: 's' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    const status = { observedGeneration: 1, replicas: 0, conditions: [{ type: 'Available', status: 'False', reason: 'X', message: 'm' }] };
    expect(await writeStatusIfChanged(kube, deployment, status)).to.equal(true);
    const stored = await kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 's', namespace: 'default' });
    const patchesBefore = sim.faults.stats['patch'] ?? 0;
    expect(await writeStatusIfChanged(kube, stored, { ...status })).to.equal(false);
    expect(sim.faults.stats['patch'] ?? 0).to.equal(patchesBefore);
  });

  it('records Kubernetes Events and never throws', async () => {
    const involved = await kube.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ev', namespace: 'default' } });
    expect(await recordEvent(kube, involved, { type: 'Normal', reason: 'Ready', message: 'all good', reportingController: 'nimbus-test' })).to.equal(true);
    const events = (await kube.list({ apiVersion: 'v1', kind: 'Event', namespace: 'default' })).items;
    const event = events.find((e) => (e['involvedObject'] as { uid?: string }).uid === involved.metadata.uid);
    expect(event).to.deep.include({ type: 'Normal', reason: 'Ready', message: 'all good', count: 1 });
    expect(event?.metadata.name).to.match(/^ev\.[0-9a-f]+$/);
    expect(event?.['source']).to.deep.equal({ component: 'nimbus-test' });
    sim.faults.failNext({ method: 'POST', pathPrefix: '/api/v1/namespaces/default/events', count: 1, code: 500 });
    expect(await recordEvent(kube, involved, { type: 'Warning', reason: 'X', message: 'y', reportingController: 'nimbus-test' })).to.equal(false);
  });
});
