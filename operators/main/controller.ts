/**
 * The Tenant controller and its wake-ups: (a) watches on the child kinds and Namespaces, mapped to the tenant by the
 * `nimbus.dev/tenant` label; (b) a durable JetStream consumer (`nimbus-main` on `nimbus.events.>`) that turns the
 * component operators' completion events into `enqueue(tenant)` — acked once enqueued, so the next step starts
 * within milliseconds of a child's `ready`; (c) the requeue timer of the reconciler, so that onboarding still
 * completes (slower) without NATS. Builds no clients: `deps` come from `main.ts`, a test or `npm start`.
 */
import type { OperatorConfig } from '#shared/config/index.ts';
import { createController, type Controller, type ControllerOptions, type WatchSpec } from '#shared/controller/controller.ts';
import type { Deps } from '#shared/controller/types.ts';
import type { NimbusEvent, Subscription } from '#shared/bus/types.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import { tenantLabel, tenantOf } from '#shared/objects/index.ts';
import { commonControllerOptions } from '#shared/operator/defaults.ts';
import type { OperatorRuntime } from '#shared/operator/types.ts';
import { createInformer, type Informer } from '#shared/watch/informer.ts';
import type { ObjectCache } from '#shared/watch/cache.ts';
import type { KindRef } from '#shared/kube/types.ts';
import { CompletionHints } from './completion-hints.ts';
import { blockOfKind } from './desired.ts';
import { childKindRef, namespaceKind, secretKind } from './observe.ts';
import { createTenantReconciler, tenantKindRef, type TenantReconcilerOptions } from './reconcile.ts';
import { blockNames, mainOperator, tenantApiVersion, tenantKind } from './types.ts';

/** The durable consumer of the main operator and what it reads. */
export const mainDurable = 'nimbus-main';
export const mainEventFilter = 'nimbus.events.>';

export interface MainControllerOptions extends Omit<TenantReconcilerOptions, 'cacheOf'> {
  /** Watch the children and Namespaces (default true). Tests turn it off to prove the NATS path and the timer alone. */
  childWatches?: boolean | undefined;
  /** Called with every completion event that woke a tenant (tests and benchmarks measure latency with it). */
  onWake?: ((tenant: string, event: NimbusEvent) => void) | undefined;
  /** Passed to createController (tests: backoff). */
  controller?: Partial<ControllerOptions> | undefined;
}

/** Thrown by a standby's event handler, so that the bus redelivers the event (to the leader). */
export class NotLeaderError extends Error {
  override name = 'NotLeaderError';
}

const byTenantLabel = (object: KubeObject): string[] => {
  const tenant = tenantOf(object);
  return tenant ? [tenant] : [];
};

/** The tenant a completion event is about: `data.tenant`, from the child's `nimbus.dev/tenant` label. */
export function tenantOfEvent(event: NimbusEvent): string | undefined {
  if (event.data.ref.kind === tenantKind) return undefined;
  return event.data.tenant || undefined;
}

/** The Tenant controller, with its NATS consumer started and stopped with it. */
export function mainController(deps: Deps, config: OperatorConfig, runtime: OperatorRuntime = {}, options: MainControllerOptions = {}): Controller {
  const { namespace: _watchNamespace, ...common } = commonControllerOptions(mainOperator, config, runtime);
  const watches: WatchSpec[] = options.childWatches === false
    ? []
    : [namespaceKind, ...blockNames.map(childKindRef)].map((kind) => ({ kind, map: byTenantLabel }));
  // The Secrets of tenants (the children's credentials and `<tenant>-env`), cached so that a reconcile reads them
  // without a request; a change of one wakes its tenant. Label-selected: other Secrets are neither sent nor cached.
  const secretInformer: Informer | undefined = options.childWatches === false ? undefined : createInformer({
    kube: deps.kube, kind: secretKind, labelSelector: tenantLabel, log: deps.log.child({ informer: 'tenant-secrets' }),
    onEvent: (_type, object) => { for (const key of byTenantLabel(object)) controller.enqueue(key); },
  });
  const cacheOf = (kind: KindRef): ObjectCache | undefined => {
    if (kind.apiVersion === secretKind.apiVersion && kind.kind === secretKind.kind) {
      return secretInformer?.hasSynced() ? secretInformer.cache : undefined;
    }
    return controller.cacheOf(kind);
  };
  const hints = new CompletionHints();
  const controller: Controller = createController({
    // Tenants are cluster-scoped and their namespaces are theirs: WATCH_NAMESPACE does not apply.
    ...common,
    name: mainOperator,
    kind: tenantKindRef,
    clusterScoped: true,
    reconcile: createTenantReconciler({ ...options, cacheOf, hints }),
    deps,
    watches,
    ...options.controller,
  });
  /** Remembers a child's completion event until the cache shows what it says. */
  const recordHint = (event: NimbusEvent): void => {
    const { ref } = event.data;
    if (blockOfKind(ref.kind) && ref.apiVersion === tenantApiVersion) hints.record(event, deps.clock.now());
  };
  let subscription: Subscription | undefined;
  return {
    ...controller,
    async start(): Promise<void> {
      await Promise.all([controller.start(), secretInformer?.start()]);
      // Ack after enqueuing: the event wakes the tenant and, until the cache shows the child's new status, stands in
      // for it (CompletionHints), so the next step starts on the event. `early`: taken from core NATS as soon as it
      // is published, the durable consumer only confirms it (or delivers what the early path missed).
      subscription = await deps.bus.subscribe(mainDurable, mainEventFilter, (event) => {
        const tenant = tenantOfEvent(event);
        if (!tenant) return;
        // A standby shares the durable consumer: hand the event back (nak) so the leader gets it.
        if (!controller.isLeader()) throw new NotLeaderError(`not the leader: leaving the wake-up of tenant ${tenant} to the leader`);
        recordHint(event);
        controller.enqueue(tenant);
        options.onWake?.(tenant, event);
      }, { early: true });
    },
    async stop(): Promise<void> {
      await subscription?.stop();
      subscription = undefined;
      await controller.stop();
      secretInformer?.stop();
    },
  };
}
