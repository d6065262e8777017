/**
 * A controller: informers feed keys into the work queue, N workers run the reconciler. Owned kinds wake their
 * controller owner; extra watches wake whatever their mapper says. With leader election only the leader runs workers
 * (standbys keep their caches warm, so a takeover starts at once).
 */
import { TerminalError, RetryableError } from '#shared/errors/index.ts';
import { ConflictError } from '#shared/kube/errors.ts';
import type { KindRef, KubeObject } from '#shared/kube/types.ts';
import { controllerOf } from '#shared/objects/owner.ts';
import { createInformer } from '#shared/watch/informer.ts';
import type { Informer, InformerEventType } from '#shared/watch/informer.ts';
import type { ObjectCache } from '#shared/watch/cache.ts';
import type { ObjectTransform } from '#shared/watch/transform.ts';
import type { BackoffOptions } from './backoff.ts';
import { startLeaderElection } from './leader.ts';
import type { LeaderElectionOptions, LeaderElector } from './leader.ts';
import { noMetrics } from './metrics.ts';
import type { ControllerMetrics } from './metrics.ts';
import { WorkQueue } from './queue.ts';
import { cachedReads } from './cached-client.ts';
import { onlyStatusChanged } from './predicates.ts';
import { keyOf } from './types.ts';
import type { Deps, KeyMapper, ObjectKey, Reconciler } from './types.ts';

export interface WatchSpec {
  kind: KindRef;
  map: KeyMapper;
  labelSelector?: string | undefined;
  /** What the watch's cache keeps of each object (see `InformerOptions.transform`). */
  transform?: ObjectTransform | undefined;
}

export interface ControllerOptions {
  name: string;
  kind: KindRef;
  reconcile: Reconciler;
  deps: Deps;
  /** Workers; default 4. */
  concurrency?: number | undefined;
  /** Child kinds: an event on a child enqueues its controller owner of `kind`. */
  owns?: KindRef[] | undefined;
  /**
   * Watch the owned kinds through this label selector, e.g. `app.kubernetes.io/managed-by=nimbus-couchdb`: the
   * process then receives and caches its own children only, not every ConfigMap/Service/Secret of the cluster
   * (bench/README.md measures what that costs at 1,000 tenants). Every child must carry the label.
   */
  ownedLabelSelector?: string | undefined;
  /**
   * What the owned kinds' caches keep of each object (client-go's SetTransform), e.g. `trimPodTemplates`: the
   * reconciler's reads of owned objects then see the trimmed form. Default: everything but managedFields.
   */
  ownedTransform?: ObjectTransform | undefined;
  watches?: WatchSpec[] | undefined;
  /** Watch one namespace only (WATCH_NAMESPACE). */
  namespace?: string | undefined;
  /** The reconciled kind is cluster-scoped (owner keys are then `name`). Default false. */
  clusterScoped?: boolean | undefined;
  metrics?: ControllerMetrics | undefined;
  backoff?: BackoffOptions | undefined;
  leaderElection?: LeaderElectionOptions | undefined;
  /** Passed to every informer. */
  resyncMs?: number | undefined;
  silenceTimeoutMs?: number | undefined;
  /**
   * Serve the reconciler's reads of the reconciled and owned kinds from the informer caches (default true), as
   * controller-runtime does; false: every read goes to the API server. Mapped `watches` kinds are never served
   * from the cache (see `cacheCovering`).
   */
  cachedReads?: boolean | undefined;
}

export interface Controller {
  start(): Promise<void>;
  /** Stop taking work, wait for in-flight reconciles, stop watching, release the lease. */
  stop(): Promise<void>;
  enqueue(key: ObjectKey): void;
  /** Caches synced (and, with leader election, campaigning). */
  ready(): boolean;
  isLeader(): boolean;
  cacheOf(kind: KindRef): ObjectCache | undefined;
  readonly queue: WorkQueue;
}

/** Backoff after a ConflictError: 10 ms, doubling (a conflict that persists still backs off to a minute). */
const conflictBackoff = { initialMs: 10, maxMs: 60_000 };

function kindId(kind: KindRef): string {
  return `${kind.apiVersion}/${kind.kind}`;
}

export function createController(options: ControllerOptions): Controller {
  const { name, deps } = options;
  const log = deps.log.child({ controller: name });
  const metrics = options.metrics ?? noMetrics;
  const concurrency = options.concurrency ?? 4;
  const queue = new WorkQueue({
    backoff: options.backoff,
    onDepth: (depth) => metrics.queueDepth(name, depth),
    onAdd: () => metrics.queueAdd?.(name),
  });
  const informers = new Map<string, Informer>();
  let workers: Promise<void>[] = [];
  let workersStop: { stopped: boolean } | undefined;
  let active = 0;
  let elector: LeaderElector | undefined;
  let started = false;

  function scoped(kind: KindRef): KindRef {
    return options.namespace && kind.namespace === undefined ? { ...kind, namespace: options.namespace } : kind;
  }

  function addInformer(
    kind: KindRef, labelSelector: string | undefined, onObject: (object: KubeObject, type: InformerEventType, previous?: KubeObject) => void,
    withPrevious = false, registerAs?: string, transform?: ObjectTransform,
  ): void {
    const id = kindId(kind);
    const informer = createInformer({
      kube: deps.kube, kind: scoped(kind), labelSelector, log, resyncMs: options.resyncMs, withPrevious, transform,
      silenceTimeoutMs: options.silenceTimeoutMs, onEvent: (type, object, previous) => onObject(object, type, previous),
    });
    informers.set(registerAs ?? (labelSelector ? `${id}?${labelSelector}` : id), informer);
  }

  /** A synced cache holding every object of `kind` in `namespace` (informers without a label selector only). */
  /**
   * Reads served from the cache: the reconciled kind and the owned kinds, i.e. what this controller writes. Kinds
   * watched through a mapper are other controllers' objects, read when an event says they changed (the main
   * operator's children, woken by a NATS event that may beat the watch): those reads go to the API server.
   */
  const cachedKinds = new Set([kindId(options.kind), ...(options.owns ?? []).map(kindId)]);
  function cacheCovering(kind: KindRef, namespace: string | undefined): ObjectCache | undefined {
    if (options.namespace && namespace !== options.namespace) return undefined;
    if (!cachedKinds.has(kindId(kind))) return undefined;
    const informer = informers.get(kindId(kind));
    return informer?.hasSynced() ? informer.cache : undefined;
  }
  /** Any synced cache of the kind (mapped watches included): for `peekCache` only. */
  function anyCache(kind: KindRef, namespace: string | undefined): ObjectCache | undefined {
    if (options.namespace && namespace !== options.namespace) return undefined;
    const informer = informers.get(kindId(kind));
    return informer?.hasSynced() ? informer.cache : undefined;
  }
  const reconcileDeps: Deps = options.cachedReads === false ? deps : { ...deps, kube: cachedReads(deps.kube, cacheCovering, anyCache) };

  addInformer(options.kind, undefined, (object, type, previous) => {
    // The reconciler's own status write coming back: nothing to do (it would only cost a reconcile).
    if (type === 'modified' && previous && onlyStatusChanged(previous, object)) return;
    queue.add(keyOf(object));
  }, true);
  for (const owned of options.owns ?? []) {
    // With `ownedLabelSelector` the cache holds this controller's children only, which is all its reconciler reads
    // of an owned kind: it still answers those reads (registered under the plain kind).
    addInformer(owned, options.ownedLabelSelector, (object) => {
      const owner = controllerOf(object);
      if (!owner || owner.kind !== options.kind.kind || owner.apiVersion.split('/')[0] !== options.kind.apiVersion.split('/')[0]) return;
      const namespace = object.metadata.namespace;
      queue.add(options.clusterScoped || !namespace ? owner.name : `${namespace}/${owner.name}`);
    }, false, kindId(owned), options.ownedTransform);
  }
  for (const spec of options.watches ?? []) {
    addInformer(spec.kind, spec.labelSelector, (object) => { for (const key of spec.map(object)) queue.add(key); },
      false, undefined, spec.transform);
  }

  async function processOne(key: ObjectKey): Promise<void> {
    const startMs = performance.now();
    active++;
    metrics.activeWorkers(name, active);
    try {
      const result = await options.reconcile(key, reconcileDeps);
      queue.forget(key);
      queue.replaceAfter(key, result.requeueAfterMs);
      metrics.reconciled(name, result.requeueAfterMs !== undefined ? 'requeue_after' : 'success', (performance.now() - startMs) / 1000);
    } catch (error) {
      metrics.reconciled(name, 'error', (performance.now() - startMs) / 1000);
      // A conflict is a lost race, not bad input: read again and retry.
      if (error instanceof TerminalError && !(error instanceof ConflictError)) {
        // The input must change first; the watch event of that change brings the key back.
        queue.forget(key);
        log.error({ err: error, key }, 'reconcile failed terminally');
      } else {
        // A conflict means "read again": the next attempt has the fresh object, so it need not wait long.
        const delayMs = queue.retry(key, error instanceof RetryableError ? error.retryAfterMs : undefined,
          error instanceof ConflictError ? conflictBackoff : undefined);
        metrics.queueRetry?.(name);
        log.warn({ err: error, key, delayMs, failures: queue.failuresOf(key) }, 'reconcile failed: retrying');
      }
    } finally {
      active--;
      metrics.activeWorkers(name, active);
      queue.done(key);
    }
  }

  function startWorkers(): void {
    if (workersStop) return;
    const stop = { stopped: false };
    workersStop = stop;
    workers = Array.from({ length: concurrency }, async () => {
      while (!stop.stopped) {
        const key = await queue.get();
        if (key === undefined) { if (stop.stopped || queue.isShutDown) return; continue; }
        // Handed out just as work stopped: put it back for whoever works next.
        if (stop.stopped) { queue.done(key); queue.add(key); return; }
        await processOne(key);
      }
    });
    // Everything known is reconciled once when work starts (a new leader may have missed events).
    const primary = informers.get(kindId(options.kind));
    for (const object of primary?.cache.list() ?? []) queue.add(keyOf(object));
  }

  async function stopWorkers(): Promise<void> {
    if (!workersStop) return;
    workersStop.stopped = true;
    workersStop = undefined;
    // Wake idle workers so they notice; in-flight reconciles finish first.
    queue.interruptGetters();
    await Promise.all(workers);
    workers = [];
  }

  return {
    queue,
    enqueue: (key) => queue.add(key),
    ready: () => started && [...informers.values()].every((informer) => informer.hasSynced()),
    isLeader: () => (options.leaderElection ? elector?.isLeader() ?? false : started),
    cacheOf: (kind) => informers.get(kindId(kind))?.cache,
    async start(): Promise<void> {
      if (started) return;
      started = true;
      await Promise.all([...informers.values()].map((informer) => informer.start()));
      if (!options.leaderElection) { startWorkers(); return; }
      elector = startLeaderElection(deps.kube, log, options.leaderElection, {
        onStartedLeading: startWorkers,
        onStoppedLeading: () => { void stopWorkers(); },
      });
    },
    async stop(): Promise<void> {
      await stopWorkers();
      queue.shutDown();
      for (const informer of informers.values()) informer.stop();
      await elector?.stop();
    },
  };
}
