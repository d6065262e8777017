/**
 * The reconcile flow every component operator shares: read the CR; on delete clean up, announce and drop the
 * finalizer; otherwise add the finalizer if missing (and stop there: its watch event brings the next reconcile),
 * observe, apply the children (owned, server-side applied), write status only when it changed, and on a change
 * announce it: a NATS event (after the status write, so consumers read what the event says), then a Kubernetes Event
 * on a phase transition. A reconcile that changed a child leaves the status to the reconcile the child's watch event
 * brings (see `applyChildren`). Invalid input becomes status Failed, never a crash loop.
 */
import { TerminalError } from '#shared/errors/index.ts';
import { AlreadyExistsError, ConflictError } from '#shared/kube/errors.ts';
import type { KubeObject, ObjectRef } from '#shared/kube/types.ts';
import { buildEvent } from '#shared/bus/envelope.ts';
import type { EventPhase } from '#shared/bus/types.ts';
import { controllerReference } from '#shared/objects/owner.ts';
import { done, parseKey, requeueAfter } from '#shared/controller/types.ts';
import type { Deps, ReconcileResult, Reconciler } from '#shared/controller/types.ts';
import { ensureFinalizer, hasFinalizer, removeFinalizer } from '#shared/controller/finalizer.ts';
import { writeStatusIfChanged } from '#shared/controller/status.ts';
import { recordEvent } from '#shared/controller/events.ts';
import { peekCache, peekCacheVersion } from '#shared/controller/cached-client.ts';
import { AppliedMemory } from './skip-apply.ts';
import { DesiredMemo } from './desired-memo.ts';
import { currentStatus, eventPhaseOf, phaseReason, statusObject } from './status-object.ts';
import type { ComponentDefinition, ComponentStatus, DesiredChildren } from './types.ts';

/** The finalizer of an operator: `nimbus.dev/<operator>`. */
export function finalizerOf(operator: string): string {
  return `nimbus.dev/${operator}`;
}

/** The reference of a child (in the CR's namespace unless it names its own). */
function refOf(child: KubeObject, cr: KubeObject): ObjectRef {
  const namespace = child.metadata.namespace ?? cr.metadata.namespace;
  const ref: ObjectRef = { apiVersion: child.apiVersion, kind: child.kind, name: child.metadata.name ?? '' };
  if (namespace) ref.namespace = namespace;
  return ref;
}

export function componentReconciler<CR extends KubeObject, Observed>(def: ComponentDefinition<CR, Observed>): Reconciler {
  const finalizer = finalizerOf(def.operator);
  const controllerName = `nimbus-${def.operator}`;
  const applied = new AppliedMemory();
  const memo = new DesiredMemo();
  const ownedChildren = new WeakMap<KubeObject, { ownerUid: string; namespace: string | undefined; owned: KubeObject }>();

  function publish(deps: Deps, object: KubeObject, phase: EventPhase, reason: string, message: string, outputs?: Record<string, string>): void {
    // CloudEvents `time` with millisecond precision (Kubernetes timestamps have seconds only): consumers and the
    // benchmark measure step latencies from it.
    const input = { source: def.operator, object, phase, reason, message, time: new Date(deps.clock.now()).toISOString() };
    deps.bus.publish(buildEvent(outputs ? { ...input, outputs } : input));
  }

  /**
   * Applies the children. Returns true when a write changed a child that a synced cache of this controller covers:
   * the watch event of that change is then on its way and reconciles this CR again (the cache is updated before the
   * event is handled, and an event arriving mid-reconcile queues the key once more).
   */
  async function applyChildren(cr: CR, children: DesiredChildren, deps: Deps): Promise<boolean> {
    const owner = controllerReference(cr);
    const namespaceOf = (child: KubeObject): string | undefined => child.metadata.namespace ?? cr.metadata.namespace;
    // Children reused from the memo are owned as before: the same owned object (its digest is remembered with it).
    const own = (child: KubeObject): KubeObject => {
      const known = ownedChildren.get(child);
      if (known?.ownerUid === owner.uid && known.namespace === namespaceOf(child)) return known.owned;
      const owned = ownChild(child);
      ownedChildren.set(child, { ownerUid: owner.uid, namespace: namespaceOf(child), owned });
      return owned;
    };
    const ownChild = (child: KubeObject): KubeObject => {
      const metadata = {
        ...child.metadata,
        ownerReferences: [...(child.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.uid), owner],
      };
      const namespace = child.metadata.namespace ?? cr.metadata.namespace;
      if (namespace) metadata.namespace = namespace;
      return { ...child, metadata };
    };
    let changedWatched = false;
    // Independent objects: applied together, so a reconcile costs one round trip, not one per child.
    await Promise.all([
      ...(children.createOnce ?? []).map(async (child) => {
        // Usually there already (the controller's cache answers without a request): no POST that ends in a 409.
        // A cache lagging behind a create only costs that 409.
        // Existence only: the cached version says it without a copy of the object.
        const cached = peekCacheVersion(deps.kube, refOf(child, cr));
        if (cached ? cached.resourceVersion !== undefined : await deps.kube.tryGet(refOf(child, cr))) return;
        try {
          await deps.kube.create(own(child));
          if (cached) changedWatched = true;
        } catch (error) {
          if (!(error instanceof AlreadyExistsError)) throw error;
        }
      }),
      ...children.apply.map(async (child) => {
        const desired = own(child);
        const ref = refOf(desired, cr);
        // A no-op apply still costs a request and a merge on the server: skip it when the cache proves it is one.
        // First by version (no copy of the cached object): the version our last apply stored or the last check saw.
        if (applied.unchangedAt(desired, peekCacheVersion(deps.kube, ref)?.resourceVersion)) return;
        const cached = peekCache(deps.kube, ref);
        if (cached && applied.unchanged(desired, cached.object)) return;
        const stored = await deps.kube.apply(desired);
        applied.remember(desired, stored);
        // A no-op apply leaves the resourceVersion as the cache has it: no event will come.
        if (cached && stored.metadata.resourceVersion !== cached.object?.metadata.resourceVersion) changedWatched = true;
      }),
    ]);
    return changedWatched;
  }

  /** Writes status; on a change announces it. Returns the requeue intent. */
  async function report(cr: CR, computed: ComponentStatus, deps: Deps): Promise<ReconcileResult> {
    const previous = currentStatus(cr);
    const status = statusObject(cr, computed, deps.clock.nowIso());
    const wrote = await writeStatusIfChanged(deps.kube, cr, status);
    const { reason, message } = phaseReason(computed);
    if (wrote) {
      const written: KubeObject = { ...cr, status };
      // The completion event first: the next step waits for it; the Kubernetes Event is for people.
      if (previous['phase'] !== computed.phase || previous['observedGeneration'] !== status['observedGeneration']) {
        publish(deps, written, eventPhaseOf(computed.phase), reason, message, computed.outputs);
      }
      if (previous['phase'] !== computed.phase) {
        const type = computed.phase === 'Failed' ? 'Warning' : 'Normal';
        await recordEvent(deps.kube, written, { type, reason, message, reportingController: controllerName }, deps.log, deps.clock);
      }
    }
    return computed.requeueAfterMs !== undefined ? requeueAfter(computed.requeueAfterMs) : done;
  }

  return async (key, deps) => {
    const { name, namespace } = parseKey(key);
    const ref = namespace ? { ...def.kind, name, namespace } : { apiVersion: def.kind.apiVersion, kind: def.kind.kind, name };
    const cr = await deps.kube.tryGet<CR>(ref);
    if (!cr) { memo.forget(key); return done; }
    // Made when something is logged only: a child logger per reconcile is not free, and most reconciles log nothing.
    const log = (): Deps['log'] => deps.log.child({ ref: key, kind: def.kind.kind });

    if (cr.metadata.deletionTimestamp) {
      memo.forget(key);
      if (!hasFinalizer(cr, finalizer)) return done;
      await def.cleanup?.(cr, deps);
      publish(deps, cr, 'deleted', 'Deleted', `${def.kind.kind} ${key} deleted`);
      await removeFinalizer(deps.kube, cr, finalizer);
      log().info('cleanup done, finalizer removed');
      return done;
    }

    if (!hasFinalizer(cr, finalizer)) {
      // The finalizer write comes back as a watch event that reconciles again at once, with the children's events
      // of what this reconcile would apply still to come: doing the work now made that next reconcile repeat it
      // against a cache that lagged (no-op applies, statuses out of date). The work waits for that event instead.
      await ensureFinalizer(deps.kube, cr, finalizer);
      return done;
    }
    try {
      const observed = await def.observe(cr, deps);
      const children = def.desiredInputs
        ? memo.get(key, def.desiredInputs(cr, observed), () => def.desired(cr, observed), deps.clock.now())
        : def.desired(cr, observed);
      const changedWatched = await applyChildren(cr, children, deps);
      const computed = def.status(cr, observed, deps.clock.nowIso());
      // What was observed is out of date by what was just written (a StatefulSet "being created" now exists): the
      // status, its Events and its completion event wait for the reconcile that the watch event of that write brings,
      // which sees the children as they are. Without this, every tenant wrote and announced Pending, then
      // Provisioning, then Ready, each a status patch, a Kubernetes Event and a NATS event, where a child that is
      // ready at once goes straight to Ready. A status that stays put (a StatefulSet not ready) is still written by
      // that next reconcile, which has nothing left to write.
      if (changedWatched) return computed.requeueAfterMs !== undefined ? requeueAfter(computed.requeueAfterMs) : done;
      // Settled: its next reconcile (a resync, an edit) is rare, and computes its children again.
      if (computed.phase === 'Ready') memo.settled(key, deps.clock.now());
      return await report(cr, computed, deps);
    } catch (error) {
      if (!(error instanceof TerminalError) || error instanceof ConflictError) throw error;
      log().warn({ err: error }, 'invalid input: reporting Failed');
      const reason = error.reasonCode ?? (error.name === 'TerminalError' ? 'InvalidSpec' : error.name.replace(/Error$/, ''));
      // Keep what the status said before (endpoints…); only phase and conditions change.
      const { phase: _phase, conditions: _conditions, observedGeneration: _generation, ...fields } = currentStatus(cr);
      return report(cr, {
        phase: 'Failed', reason, message: error.message, fields,
        conditions: [{ type: 'Ready', status: 'False', reason, message: error.message }],
      }, deps);
    }
  };
}
