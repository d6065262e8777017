/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go does it: acquire or renew with resourceVersion
 * optimistic concurrency (a merge patch carrying metadata.resourceVersion), take over when the holder has not renewed
 * for the lease duration (measured on OUR clock, from when we last saw the record change), release on stop.
 */
import { AlreadyExistsError, ConflictError, NotFoundError } from '#shared/kube/errors.ts';
import type { KubeClient, KubeObject } from '#shared/kube/types.ts';
import type { Logger } from '#shared/observability/logger.ts';

export interface LeaderElectionOptions {
  leaseName: string;
  namespace: string;
  /** This instance, e.g. the pod name. */
  identity: string;
  /** A standby takes over after the holder has not renewed for this long. */
  leaseDurationMs: number;
  /** The leader renews this often (well below leaseDurationMs). */
  renewMs: number;
}

export interface LeaderElector {
  isLeader(): boolean;
  /** Stop campaigning; a leader clears holderIdentity so a standby takes over at once. */
  stop(): Promise<void>;
}

interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** RFC 3339 with microseconds, the MicroTime format of Lease times. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function startLeaderElection(
  kube: KubeClient, log: Logger, options: LeaderElectionOptions,
  callbacks: { onStartedLeading: () => void; onStoppedLeading: () => void },
): LeaderElector {
  const ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: options.leaseName, namespace: options.namespace };
  const durationSeconds = Math.max(1, Math.ceil(options.leaseDurationMs / 1000));
  let leader = false;
  let stopped = false;
  let lastRenewMs = 0;
  let observed: { record: string; atMs: number } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let cycle: Promise<void> = Promise.resolve();

  function setLeader(next: boolean): void {
    if (next === leader) return;
    leader = next;
    log.info({ lease: options.leaseName, identity: options.identity }, next ? 'became leader' : 'lost leadership');
    if (next) callbacks.onStartedLeading(); else callbacks.onStoppedLeading();
  }

  async function tryAcquireOrRenew(): Promise<boolean> {
    const now = Date.now();
    const lease = await kube.tryGet(ref);
    if (!lease) {
      const spec: LeaseSpec = {
        holderIdentity: options.identity, leaseDurationSeconds: durationSeconds,
        acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0,
      };
      await kube.create({ apiVersion: ref.apiVersion, kind: 'Lease', metadata: { name: ref.name, namespace: ref.namespace }, spec });
      return true;
    }
    const spec = (lease['spec'] ?? {}) as LeaseSpec;
    const holder = spec.holderIdentity ?? '';
    const record = `${holder}|${spec.renewTime ?? ''}|${lease.metadata.resourceVersion ?? ''}`;
    if (observed?.record !== record) observed = { record, atMs: now };
    const expired = now - observed.atMs >= options.leaseDurationMs;
    if (holder && holder !== options.identity && !expired) return false;
    const next: LeaseSpec = {
      holderIdentity: options.identity, leaseDurationSeconds: durationSeconds, renewTime: microTime(now),
    };
    if (holder !== options.identity) {
      next.acquireTime = microTime(now);
      next.leaseTransitions = (spec.leaseTransitions ?? 0) + 1;
    }
    await kube.patch(ref, { metadata: { resourceVersion: lease.metadata.resourceVersion }, spec: next }, 'merge');
    return true;
  }

  async function tick(): Promise<void> {
    try {
      const held = await tryAcquireOrRenew();
      if (held) lastRenewMs = Date.now();
      if (!stopped) setLeader(held);
    } catch (error) {
      const raced = error instanceof ConflictError || error instanceof AlreadyExistsError || error instanceof NotFoundError;
      if (!raced) log.warn({ err: error, lease: options.leaseName }, 'lease update failed');
      // A leader that cannot renew steps down before a standby may take over.
      if (leader && Date.now() - lastRenewMs > options.leaseDurationMs - options.renewMs) setLeader(false);
    }
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      cycle = tick().then(() => schedule(leader ? options.renewMs : Math.max(50, options.renewMs)));
    }, delayMs);
  }
  schedule(0);

  return {
    isLeader: () => leader,
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await cycle;
      if (!leader) return;
      setLeader(false);
      try {
        const lease = await kube.get<KubeObject>(ref);
        const spec = (lease['spec'] ?? {}) as LeaseSpec;
        if (spec.holderIdentity === options.identity) {
          await kube.patch(ref, { metadata: { resourceVersion: lease.metadata.resourceVersion }, spec: { holderIdentity: null } }, 'merge');
        }
      } catch (error) {
        log.warn({ err: error, lease: options.leaseName }, 'could not release the lease; a standby takes over after it expires');
      }
    },
  };
}
