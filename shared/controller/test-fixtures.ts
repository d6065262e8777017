/**
 * Test fixtures for the controller and component suites (not used by production code): a throwaway CRD with a
 * status subresource, a Bus that records what is published, and Deps built from a real kube client.
 */
import type { Bus, NimbusEvent } from '#shared/bus/types.ts';
import type { KubeClient, KubeObject } from '#shared/kube/types.ts';
import { silentLogger } from '#shared/observability/logger.ts';
import { systemClock } from '#shared/clock/index.ts';
import type { Deps } from './types.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';

export const widgetKind = { apiVersion: 'test.nimbus.dev/v1', kind: 'Widget' } as const;

/** Registers the `Widget` CRD (schemaless, with /status) and waits until it is served. */
export async function registerWidgetCrd(kube: KubeClient): Promise<void> {
  const crd: KubeObject = {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.test.nimbus.dev' },
    spec: {
      group: 'test.nimbus.dev', scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{
        name: 'v1', served: true, storage: true, subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      }],
    },
  };
  await kube.create(crd);
  await waitFor(async () => (await kube.list({ ...widgetKind, namespace: 'default' })) !== undefined, { timeoutMs: 10_000 });
}

/** A Bus that keeps every published event. */
export function recordingBus(): Bus & { events: NimbusEvent[] } {
  const events: NimbusEvent[] = [];
  return {
    enabled: true,
    events,
    publish: (event) => { events.push(event); },
    subscribe: () => Promise.resolve({ stop: () => Promise.resolve() }),
    close: () => Promise.resolve(),
  };
}

export function testDeps(kube: KubeClient, bus: Bus = recordingBus()): Deps {
  return { kube, bus, log: silentLogger(), clock: systemClock };
}
