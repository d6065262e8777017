/**
 * The simulated kubelet: stands in for kubelet, scheduler and the workload controllers. It reacts to store changes
 * (no polling): `delayMs` after a StatefulSet, Deployment or Job changes it writes the ready/complete status through
 * the status path (so generation and resourceVersion behave); it binds PVCs and creates the PVCs of StatefulSet
 * claim templates. Failure controls let tests fail Jobs and keep workloads unready.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { Api } from '#sim/store/api.ts';
import { deepEqual } from '#sim/store/equal.ts';
import { claimNames, desiredClaims } from './claims.ts';
import {
  deploymentStatus, jobCompleteStatus, jobFailedStatus, jobFinished, jobRunningStatus, pvcBoundStatus, replicasOf,
  statefulSetStatus,
} from './status.ts';

/** Options of `startKubelet`. */
export interface KubeletOptions {
  /** How long after a change the workload becomes ready; 0 = on the next turn of the event loop. Default 0. */
  delayMs?: number;
  /** Create the PVCs of StatefulSet volumeClaimTemplates (default true). */
  createVolumeClaims?: boolean;
  /** Reports errors of status writes (default: ignored; the next change retries). */
  onError?: (err: unknown) => void;
}

/** The running kubelet and its controls. */
export interface Kubelet {
  /** Fails the Jobs of `namespace` named `nameOrPrefix` or starting with it (present and future, until cleared). */
  failJob(namespace: string, nameOrPrefix: string, message?: string): void;
  /** Forgets every failJob rule (Jobs already failed stay failed). */
  clearJobFailures(): void;
  /** Keeps the StatefulSet/Deployment/Job `namespace/name` unready (running) until `release`. */
  holdUnready(namespace: string, name: string): void;
  /** Lets a held workload become ready again. */
  release(namespace: string, name: string): void;
  setDelayMs(ms: number): void;
  /** Stops reacting (pending timers are cancelled). */
  stop(): void;
}

const STS = 'apps/statefulsets';
const DEPLOY = 'apps/deployments';
const JOB = 'batch/jobs';
const PVC = '/persistentvolumeclaims';
const KEYS = [STS, DEPLOY, JOB, PVC];

const defaultFailure = 'Job has reached the specified backoff limit';

/** Structural equality of two statuses, key order aside (a walk, not two sorted serialisations). */
function statusEqual(a: unknown, b: unknown): boolean {
  return deepEqual(a, b);
}

/** What `desired` / `needsWork` answered for a stored object (see `verdicts` in `startKubelet`). */
interface Verdict { want: Record<string, unknown> | undefined; needs: boolean }

/** Starts the kubelet on a sim's API; returns its controls. */
export function startKubelet(api: Api, options: KubeletOptions = {}): Kubelet {
  let delayMs = options.delayMs ?? 0;
  const createClaims = options.createVolumeClaims ?? true;
  const onError = options.onError ?? ((): void => undefined);
  const timers = new Map<string, NodeJS.Timeout | NodeJS.Immediate>();
  const held = new Set<string>();
  const failures: Array<{ namespace: string; prefix: string; message: string }> = [];
  let stopped = false;
  /**
   * The verdict per stored workload object: stored objects are never mutated, and the verdict of a StatefulSet,
   * Deployment or Job depends only on the object and the failure controls (a fresh map whenever they change). The
   * store event, the reconcile it schedules and that reconcile's own status event would otherwise each recompute
   * and compare the status. PVCs are not cached: whether one is in use depends on other objects.
   */
  let verdicts = new WeakMap<KubeObject, Verdict>();

  const failureFor = (ns: string, name: string): string | undefined =>
    failures.find((f) => f.namespace === ns && name.startsWith(f.prefix))?.message;

  /**
   * A claim binds once a workload uses it (as with WaitForFirstConsumer storage classes): a claim of a StatefulSet
   * template, or one a pod template mounts by name. A claim nobody uses stays Pending, as on the recorded cluster.
   */
  function inUse(pvc: KubeObject): boolean {
    const ns = pvc.metadata.namespace ?? '';
    const name = pvc.metadata.name ?? '';
    for (const sts of api.objects.list(STS, ns)) {
      if (desiredClaims(sts, replicasOf(sts)).some((c) => c.metadata.name === name)) return true;
    }
    return [STS, DEPLOY, JOB].some((key) => Array.from(api.objects.list(key, ns)).some((w) => claimNames(w).includes(name)));
  }

  /** The status this object should have now, or undefined when the kubelet leaves it alone. */
  function desired(key: string, obj: KubeObject): Record<string, unknown> | undefined {
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    const ready = !held.has(`${ns}/${name}`);
    switch (key) {
      case STS: return statefulSetStatus(obj, ready);
      case DEPLOY: return deploymentStatus(obj, ready);
      case JOB: {
        if (jobFinished(obj) || (obj.spec as { suspend?: unknown } | undefined)?.suspend === true) return undefined;
        const failure = failureFor(ns, name);
        if (failure !== undefined) return jobFailedStatus(obj, failure);
        return ready ? jobCompleteStatus(obj) : jobRunningStatus(obj);
      }
      case PVC: return (obj.status as { phase?: unknown } | undefined)?.phase === 'Bound' || !inUse(obj) ? undefined : pvcBoundStatus(obj);
      default: return undefined;
    }
  }

  function verdict(key: string, obj: KubeObject): Verdict {
    if (key === PVC) {
      const want = desired(key, obj);
      return { want, needs: needsWork(key, obj, want) };
    }
    let v = verdicts.get(obj);
    if (v === undefined) {
      const want = desired(key, obj);
      v = { want, needs: needsWork(key, obj, want) };
      verdicts.set(obj, v);
    }
    return v;
  }

  function needsWork(key: string, obj: KubeObject, want: Record<string, unknown> | undefined): boolean {
    if (obj.metadata.deletionTimestamp) return false;
    if (want === undefined) return false;
    // Jobs: compare without the time fields that change on every computation.
    if (key === JOB) return !statusEqual({ ...want, completionTime: 0 }, { ...(obj.status as object), completionTime: 0 });
    return !statusEqual(want, obj.status);
  }

  function reconcile(key: string, ns: string, name: string): void {
    timers.delete(`${key}|${ns}|${name}`);
    if (stopped) return;
    const s = api.registry.byKey(key);
    const cur = api.objects.get(key, ns, name);
    if (!s || !cur || cur.metadata.deletionTimestamp) return;
    try {
      if (key === STS && createClaims) ensureClaims(cur);
      if (key !== PVC) for (const claim of claimNames(cur)) pokeClaim(ns, claim);
      if (!verdict(key, cur).needs) return;
      // Computed afresh for the write: the condition times are those of now, not of the cached verdict.
      const want = desired(key, cur);
      if (want === undefined) return;
      api.update(s, ns, name, { ...cur, status: want }, {}, 'status');
    } catch (err) {
      onError(err);
    }
  }

  function ensureClaims(sts: KubeObject): void {
    const s = api.registry.byKey(PVC);
    if (!s) return;
    for (const claim of desiredClaims(sts, replicasOf(sts))) {
      const existing = api.objects.get(PVC, claim.metadata.namespace ?? '', claim.metadata.name ?? '');
      if (existing) schedule(PVC, existing);
      else api.create(s, claim.metadata.namespace, claim);
    }
  }

  function pokeClaim(ns: string, name: string): void {
    const pvc = api.objects.get(PVC, ns, name);
    if (pvc) schedule(PVC, pvc);
  }

  function schedule(key: string, obj: KubeObject): void {
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    const id = `${key}|${ns}|${name}`;
    if (stopped || timers.has(id) || !verdict(key, obj).needs) return;
    // Never write from inside the store's listener: the write happens on a later turn.
    const run = (): void => reconcile(key, ns, name);
    timers.set(id, delayMs <= 0 ? setImmediate(run) : setTimeout(run, delayMs));
  }

  function cancel(id: string): void {
    const t = timers.get(id);
    if (!t) return;
    clearTimeout(t as NodeJS.Timeout);
    clearImmediate(t as NodeJS.Immediate);
    timers.delete(id);
  }

  const unsubscribes = KEYS.map((key) => api.objects.subscribe(key, (ev) => {
    if (ev.type === 'DELETED') {
      cancel(`${key}|${ev.object.metadata.namespace ?? ''}|${ev.object.metadata.name ?? ''}`);
      return;
    }
    schedule(key, ev.object);
  }));
  for (const key of KEYS) for (const obj of api.objects.list(key, undefined)) schedule(key, obj);

  /** Re-evaluates the workloads named `ns/name` (after a control changed). */
  function poke(ns: string, match: (name: string) => boolean): void {
    verdicts = new WeakMap();
    for (const key of [STS, DEPLOY, JOB]) {
      for (const obj of api.objects.list(key, ns)) if (match(obj.metadata.name ?? '')) schedule(key, obj);
    }
  }

  return {
    failJob(namespace, nameOrPrefix, message = defaultFailure) {
      failures.push({ namespace, prefix: nameOrPrefix, message });
      poke(namespace, (n) => n.startsWith(nameOrPrefix));
    },
    clearJobFailures() {
      failures.length = 0;
      verdicts = new WeakMap();
    },
    holdUnready(namespace, name) {
      held.add(`${namespace}/${name}`);
      poke(namespace, (n) => n === name);
    },
    release(namespace, name) {
      held.delete(`${namespace}/${name}`);
      poke(namespace, (n) => n === name);
    },
    setDelayMs(ms) {
      delayMs = ms;
    },
    stop() {
      stopped = true;
      for (const u of unsubscribes) u();
      for (const id of [...timers.keys()]) cancel(id);
    },
  };
}
