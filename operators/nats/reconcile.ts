/**
 * The NATS operator's reconciler: its pure parts (observe → desired → status) plugged into the shared component
 * skeleton, plus the cleanup on delete: the JetStream volumes (PVCs, which no owner reference ties to the
 * NatsCluster) are deleted unless `spec.jetstream.storage.retainOnDelete`.
 */
import { componentReconciler, crInputs, type ComponentDefinition } from '#shared/component/index.ts';
import type { Deps, Reconciler } from '#shared/controller/types.ts';
import { selectorLabels } from '#shared/objects/index.ts';
import { natsNames } from './conf.ts';
import { desired, secretPassword, type NatsObserved } from './desired.ts';
import { PendingPasswords } from './passwords.ts';
import { observe } from './observe.ts';
import { status } from './status.ts';
import { natsApiVersion, natsKind, type NatsCluster } from './types.ts';

/** The operator name: finalizer `nimbus.dev/nats`, field manager and event source `nimbus-nats`. */
export const natsOperator = 'nats';
export const natsKindRef = { apiVersion: natsApiVersion, kind: natsKind } as const;

/** True when the CR asks to keep its JetStream volumes (also what a Tenant with `deletionPolicy: Retain` sets). */
function retainsVolumes(cr: NatsCluster): boolean {
  return cr.spec?.jetstream?.storage?.retainOnDelete === true;
}

/** Deletes the PVCs of the StatefulSet's `data` claim template (`data-<sts>-<ordinal>`), unless retained. */
export async function cleanupVolumes(cr: NatsCluster, deps: Pick<Deps, 'kube' | 'log'>): Promise<void> {
  if (retainsVolumes(cr)) {
    deps.log.info({ ref: `${cr.metadata.namespace ?? ''}/${cr.metadata.name ?? ''}` }, 'retainOnDelete: keeping the JetStream volumes');
    return;
  }
  const namespace = cr.metadata.namespace ?? 'default';
  const selector = Object.entries(selectorLabels('nats', cr.metadata.name ?? '')).map(([k, v]) => `${k}=${v}`).join(',');
  const prefix = `data-${natsNames(cr.metadata.name ?? '').statefulSet}-`;
  const claims = await deps.kube.list({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace }, { labelSelector: selector });
  for (const claim of claims.items) {
    const name = claim.metadata.name ?? '';
    if (name.startsWith(prefix)) await deps.kube.delete({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name });
  }
}

const pendingPasswords = new PendingPasswords();

/** `desired` with the passwords of Secrets not in the cache yet kept from one reconcile to the next (see `PendingPasswords`). */
export function desiredKeepingPending(cr: NatsCluster, observed: NatsObserved, pending: PendingPasswords = pendingPasswords): ReturnType<typeof desired> {
  const uid = cr.metadata.uid ?? `${cr.metadata.namespace ?? ''}/${cr.metadata.name ?? ''}`;
  for (const [secretName, secret] of Object.entries(observed.secrets)) {
    if (secret) pending.seen(uid, secretName);
  }
  return desired(cr, observed, { newPassword: (secretName) => pending.next(uid, secretName) });
}

/** The component definition: what the shared skeleton needs to reconcile a NatsCluster. */
export const natsComponent: ComponentDefinition<NatsCluster, NatsObserved> = {
  operator: natsOperator,
  kind: natsKindRef,
  observe,
  desired: (cr, observed) => desiredKeepingPending(cr, observed),
  // What `desired` reads: the CR and the passwords of the user Secrets (absent: null). Only a digest of it is kept.
  desiredInputs: (cr, observed) => [
    crInputs(cr), Object.entries(observed.secrets).map(([name, secret]) => [name, secretPassword(secret) ?? null]),
  ],
  status(cr, observed, nowIso) {
    const result = status(cr, observed, nowIso);
    const { phase, reason, message, conditions, fields, outputs } = result;
    return { phase, reason, message, conditions, fields, outputs, requeueAfterMs: result.requeueAfterMs };
  },
  cleanup: cleanupVolumes,
};

/** reconcile(key) of a NatsCluster (`namespace/name`). */
export const reconcileNats: Reconciler = componentReconciler(natsComponent);
