/**
 * The CouchDB operator's reconciler: its pure parts (observe → desired → status) plugged into the shared component
 * skeleton, plus what the skeleton leaves to the operator: on delete, the data volumes (PVCs of the StatefulSet's
 * claim template, which no owner reference ties to the CouchDB) go unless `spec.storage.retainOnDelete`; and once
 * the current init Job succeeded, init Jobs of earlier inputs are deleted (they only cost pods and clutter).
 */
import { componentReconciler, crInputs, type ComponentDefinition } from '#shared/component/index.ts';
import type { Deps, Reconciler } from '#shared/controller/types.ts';
import { labelSelectorOf, pruneSupersededJobs } from '#shared/jobs/index.ts';
import { selectorLabels } from '#shared/objects/index.ts';
import type { CouchDBObserved } from './desired.ts';
import { desired } from './desired.ts';
import { couchdbNames } from './names.ts';
import { workloadReady } from './readiness.ts';
import { observe } from './observe.ts';
import { status } from './status.ts';
import { couchdbApiVersion, couchdbKind, settingsOf, type CouchDB } from './types.ts';

/** The operator name: finalizer `nimbus.dev/couchdb`, field manager and event source `nimbus-couchdb`. */
export const couchdbOperator = 'couchdb';
export const couchdbKindRef = { apiVersion: couchdbApiVersion, kind: couchdbKind } as const;

function selectorOf(cr: CouchDB): string {
  return labelSelectorOf(selectorLabels('couchdb', cr.metadata.name ?? ''));
}

/** Deletes the PVCs of the `data` claim template (`data-<sts>-<ordinal>`), unless `storage.retainOnDelete`. */
export async function cleanupVolumes(cr: CouchDB, deps: Pick<Deps, 'kube' | 'log'>): Promise<void> {
  const ref = `${cr.metadata.namespace ?? ''}/${cr.metadata.name ?? ''}`;
  if (settingsOf(cr).retainOnDelete) {
    deps.log.info({ ref }, 'storage.retainOnDelete: keeping the data volumes');
    return;
  }
  const namespace = cr.metadata.namespace ?? 'default';
  const claimName = new RegExp(`^data-${couchdbNames(cr).statefulSet}-\\d+$`);
  const claims = await deps.kube.list({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace }, { labelSelector: selectorOf(cr) });
  for (const claim of claims.items) {
    const name = claim.metadata.name ?? '';
    if (!claimName.test(name)) continue;
    await deps.kube.delete({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name });
    deps.log.info({ ref, claim: name }, 'deleted data volume');
  }
}

/** Once the current init Job succeeded, deletes the init Jobs of earlier inputs (and their pods). */
export async function pruneInitJobs(cr: CouchDB, currentJob: CouchDBObserved['initJob'], deps: Pick<Deps, 'kube'>): Promise<void> {
  await pruneSupersededJobs(deps.kube, currentJob, { prefix: couchdbNames(cr).initJobPrefix, labelSelector: selectorOf(cr) });
}

/** The component definition: what the shared skeleton needs to reconcile a CouchDB. */
export const couchdbComponent: ComponentDefinition<CouchDB, CouchDBObserved> = {
  operator: couchdbOperator,
  kind: couchdbKindRef,
  async observe(cr, deps) {
    const observed = await observe(cr, deps);
    // Housekeeping, not state: a failure here must not stop the reconcile (the next one tries again).
    await pruneInitJobs(cr, observed.initJob, deps).catch((error: unknown) => {
      deps.log.warn({ err: error, ref: `${cr.metadata.namespace ?? ''}/${cr.metadata.name ?? ''}` }, 'could not delete superseded init Jobs');
    });
    return observed;
  },
  desired: (cr, observed) => desired(cr, observed),
  // What `desired` reads: the CR, and whether the StatefulSet is ready (the init Job waits for it).
  desiredInputs: (cr, observed) => [crInputs(cr), workloadReady(observed.statefulSet, settingsOf(cr).replicas)],
  status(cr, observed, nowIso) {
    const { phase, reason, message, conditions, fields, outputs, requeueAfterMs } = status(cr, observed, nowIso);
    return { phase, reason, message, conditions, fields, outputs, requeueAfterMs };
  },
  cleanup: cleanupVolumes,
};

/** reconcile(key) of a CouchDB (`namespace/name`). */
export const reconcileCouchDB: Reconciler = componentReconciler(couchdbComponent);

/** The CouchDBs of `namespace` that use the Secret `secretName` as their admin Secret (`spec.adminSecretRef`). */
export function couchdbsUsingSecret(couchdbs: readonly CouchDB[], namespace: string | undefined, secretName: string): string[] {
  return couchdbs
    .filter((cr) => cr.metadata.namespace === namespace && cr.spec?.adminSecretRef?.name === secretName)
    .map((cr) => `${namespace ?? ''}/${cr.metadata.name ?? ''}`);
}

