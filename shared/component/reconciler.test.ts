import { expect } from 'chai';
import { startApiServer } from '#sim/index.ts';
import type { ApiServer } from '#sim/index.ts';
import { createKubeClient } from '#shared/kube/client.ts';
import type { ClosableKubeClient } from '#shared/kube/client.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import { TerminalError } from '#shared/errors/index.ts';
import { createController } from '#shared/controller/controller.ts';
import type { Controller } from '#shared/controller/controller.ts';
import { recordingBus, registerWidgetCrd, testDeps, widgetKind } from '#shared/controller/test-fixtures.ts';
import { componentReconciler, finalizerOf } from './reconciler.ts';
import type { ComponentDefinition } from './types.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';

interface Observed { configMap: KubeObject | undefined }

/** A tiny component: a Widget gets a ConfigMap holding its size and a generated Secret. */
function gadget(cleanupState: { calls: number; failFirst: number }): ComponentDefinition<KubeObject, Observed> {
  return {
    operator: 'gadget',
    kind: widgetKind,
    async observe(cr, deps) {
      const size = (cr['spec'] as { size?: unknown } | undefined)?.size;
      if (typeof size !== 'number') throw new TerminalError(`spec.size must be a number, got ${JSON.stringify(size)}`, { reason: 'InvalidSpec' });
      const configMap = await deps.kube.tryGet({ apiVersion: 'v1', kind: 'ConfigMap', name: `${cr.metadata.name}-config`, namespace: cr.metadata.namespace ?? '' });
      return { configMap };
    },
    desired(cr) {
      const size = (cr['spec'] as { size: number }).size;
      return {
        apply: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${cr.metadata.name}-config` }, data: { size: String(size) } }],
        createOnce: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: `${cr.metadata.name}-secret` }, stringData: { password: 'generated' } }],
      };
    },
    status(cr, observed) {
      const ready = observed.configMap?.['data'] !== undefined
        && (observed.configMap['data'] as Record<string, string>)['size'] === String((cr['spec'] as { size: number }).size);
      return ready
        ? { phase: 'Ready', conditions: [{ type: 'Ready', status: 'True', reason: 'ConfigWritten', message: 'config is in place' }],
            fields: { configMapName: `${cr.metadata.name}-config` }, outputs: { configMapName: `${cr.metadata.name}-config` } }
        : { phase: 'Progressing', conditions: [{ type: 'Ready', status: 'False', reason: 'Writing', message: 'writing config' }] };
    },
    cleanup() {
      cleanupState.calls++;
      if (cleanupState.calls <= cleanupState.failFirst) return Promise.reject(new Error('external system down'));
      return Promise.resolve();
    },
  };
}

describe('component reconciler skeleton (against the sim)', () => {
  let sim: ApiServer;
  let kube: ClosableKubeClient;
  let controller: Controller;
  const bus = recordingBus();
  const cleanupState = { calls: 0, failFirst: 2 };
  const ns = 'comp';
  const ref = (name: string) => ({ ...widgetKind, name, namespace: ns });

  before(async () => {
    sim = await startApiServer({ quiet: true, kubelet: false, bookmarkIntervalMs: 200 });
    kube = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'nimbus-gadget' });
    await registerWidgetCrd(kube);
    await kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    controller = createController({
      name: 'gadget', kind: { ...widgetKind, namespace: ns }, deps: testDeps(kube, bus),
      reconcile: componentReconciler(gadget(cleanupState)),
      owns: [{ apiVersion: 'v1', kind: 'ConfigMap' }], backoff: { initialMs: 50, maxMs: 500 },
    });
    await controller.start();
  });
  after(async () => {
    await controller.stop();
    kube.close();
    await sim.stop();
  });

  const statusOf = async (name: string) => (await kube.get(ref(name)))['status'] as Record<string, unknown> | undefined;
  const eventsAbout = async (name: string) => (await kube.list({ apiVersion: 'v1', kind: 'Event', namespace: ns })).items
    .filter((e) => (e['involvedObject'] as { name?: string }).name === name);

  it('adds the finalizer, applies owned children, reports Ready, then announces it', async () => {
    await kube.create({ ...widgetKind, metadata: { name: 'good', namespace: ns }, spec: { size: 3 } });
    await waitFor(async () => (await statusOf('good'))?.['phase'] === 'Ready', { timeoutMs: 10_000 });
    const widget = await kube.get(ref('good'));
    expect(widget.metadata.finalizers).to.deep.equal([finalizerOf('gadget')]);
    expect(widget['status']).to.deep.include({ observedGeneration: 1, configMapName: 'good-config' });
    const child = await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'good-config', namespace: ns });
    expect(child.metadata.ownerReferences?.[0]).to.deep.include({ kind: 'Widget', name: 'good', controller: true, uid: widget.metadata.uid });
    await waitFor(() => bus.events.some((e) => e.subject === `${ns}/good` && e.type === 'dev.nimbus.widget.ready'));
    const ready = bus.events.find((e) => e.subject === `${ns}/good` && e.type === 'dev.nimbus.widget.ready');
    expect(ready?.data.outputs).to.deep.equal({ configMapName: 'good-config' });
    expect(ready?.data.observedGeneration).to.equal(1);
    // The reconcile that wrote the ConfigMap left the status to the one its watch event brought, which found the
    // ConfigMap in place: straight to Ready, no intermediate Progressing status, Event or progressing event.
    const reasons = (await eventsAbout('good')).map((e) => e['reason']);
    expect(reasons).to.deep.equal(['ConfigWritten']);
    expect(bus.events.filter((e) => e.subject === `${ns}/good`).map((e) => e.type)).to.deep.equal(['dev.nimbus.widget.ready']);
  });

  it('creates generated children once and never overwrites them', async () => {
    const secretRef = { apiVersion: 'v1', kind: 'Secret', name: 'good-secret', namespace: ns };
    await kube.patch(secretRef, { stringData: { password: 'changed-by-user' } }, 'merge');
    await kube.patch(ref('good'), { spec: { size: 4 } }, 'merge');
    await waitFor(async () => (await statusOf('good'))?.['observedGeneration'] === 2 && (await statusOf('good'))?.['phase'] === 'Ready', { timeoutMs: 10_000 });
    const secret = await kube.get(secretRef);
    expect(Buffer.from((secret['data'] as Record<string, string>)['password'] ?? '', 'base64').toString()).to.equal('changed-by-user');
    const child = await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'good-config', namespace: ns });
    expect(child['data']).to.deep.equal({ size: '4' });
  });

  it('reports invalid input as Failed with the field named, a Warning Event and a failed event', async () => {
    await kube.create({ ...widgetKind, metadata: { name: 'bad', namespace: ns }, spec: { size: 'large' } });
    await waitFor(async () => (await statusOf('bad'))?.['phase'] === 'Failed', { timeoutMs: 10_000 });
    const status = await statusOf('bad');
    const ready = (status?.['conditions'] as Array<Record<string, unknown>>)[0];
    expect(ready).to.deep.include({ type: 'Ready', status: 'False', reason: 'InvalidSpec' });
    expect(ready?.['message']).to.contain('spec.size');
    await waitFor(async () => (await eventsAbout('bad')).some((e) => e['type'] === 'Warning' && e['reason'] === 'InvalidSpec'));
    expect(bus.events.some((e) => e.subject === `${ns}/bad` && e.type === 'dev.nimbus.widget.failed')).to.equal(true);
    expect(controller.queue.failuresOf(`${ns}/bad`)).to.equal(0);
  });

  it('waits for cleanup on delete, retries a failing cleanup and keeps the finalizer meanwhile', async () => {
    await kube.delete(ref('good'));
    await waitFor(() => cleanupState.calls >= 1, { timeoutMs: 5000 });
    const deleting = await kube.get(ref('good'));
    expect(deleting.metadata.deletionTimestamp).to.be.a('string');
    expect(deleting.metadata.finalizers).to.deep.equal([finalizerOf('gadget')]);
    await waitFor(async () => (await kube.tryGet(ref('good'))) === undefined, { timeoutMs: 10_000 });
    expect(cleanupState.calls).to.equal(3);
    expect(bus.events.some((e) => e.subject === `${ns}/good` && e.type === 'dev.nimbus.widget.deleted')).to.equal(true);
  });
});
