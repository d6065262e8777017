/**
 * The OpenWhisk operator's reconciler: its pure parts (observe → desired → status) plugged into the shared component
 * skeleton. While the CouchDB is not usable the status says `Waiting` (`CouchDBNotReady`) and asks for a requeue; the
 * controller is also woken by the CouchDB's own changes (see `controller.ts`), so the timer is only the slow path.
 * Once the current init Job succeeded, the init Jobs of earlier inputs are deleted (`shared/jobs`). Nothing external
 * to clean up on delete: every child is owned and goes by garbage collection.
 */
import { componentReconciler, crInputs, type ComponentDefinition } from '#shared/component/index.ts';
import type { Deps, ObjectKey, Reconciler } from '#shared/controller/types.ts';
import { labelSelectorOf, pruneSupersededJobs } from '#shared/jobs/index.ts';
import { recordEvent } from '#shared/controller/events.ts';
import { findCondition, selectorLabels } from '#shared/objects/index.ts';
import { couchdbAccess } from './couchdb-access.ts';
import { designDocumentsConfigMap } from './design-docs.ts';
import { desired, type OpenWhiskObserved } from './desired.ts';
import { openwhiskNames } from './names.ts';
import { observe } from './observe.ts';
import { designDocumentsNotProvidedMessage, status } from './status.ts';
import { openwhiskApiVersion, openwhiskKind, type OpenWhisk } from './types.ts';

/** The operator name: finalizer `nimbus.dev/openwhisk`, field manager and event source `nimbus-openwhisk`. */
export const openwhiskOperator = 'openwhisk';
export const openwhiskKindRef = { apiVersion: openwhiskApiVersion, kind: openwhiskKind } as const;

/** Once the current init Job succeeded, deletes the init Jobs of earlier inputs (and their pods). */
export async function pruneInitJobs(cr: OpenWhisk, currentJob: OpenWhiskObserved['initJob'], deps: Pick<Deps, 'kube'>): Promise<void> {
  const labelSelector = labelSelectorOf(selectorLabels('openwhisk', cr.metadata.name ?? ''));
  await pruneSupersededJobs(deps.kube, currentJob, { prefix: openwhiskNames(cr).initJobPrefix, labelSelector });
}

/** The component definition: what the shared skeleton needs to reconcile an OpenWhisk. */
export const openwhiskComponent: ComponentDefinition<OpenWhisk, OpenWhiskObserved> = {
  operator: openwhiskOperator,
  kind: openwhiskKindRef,
  async observe(cr, deps) {
    const observed = await observe(cr, deps);
    // Housekeeping, not state: a failure here must not stop the reconcile (the next one tries again).
    await pruneInitJobs(cr, observed.initJob, deps).catch((error: unknown) => {
      deps.log.warn({ err: error, ref: keyOf(cr) }, 'could not delete superseded init Jobs');
    });
    await warnIfNoDesignDocuments(cr, deps);
    return observed;
  },
  desired: (cr, observed) => desired(cr, observed),
  // What `desired` reads: the CR, how to reach its CouchDB, the auth keys read so far (the init Job's name hashes
  // them) and the design documents' data. Only a digest of it is kept.
  desiredInputs: (cr, observed) => [
    crInputs(cr), couchdbAccess(cr, observed),
    Object.entries(observed.authSecrets ?? {}).map(([ns, secret]) => [ns, (secret?.['data'] as Record<string, unknown> | undefined)?.['auth'] ?? null]),
    observed.designDocuments ? [observed.designDocuments['data'] ?? null] : null,
  ],
  status(cr, observed, nowIso) {
    const { phase, reason, message, conditions, fields, outputs, requeueAfterMs } = status(cr, observed, nowIso);
    return { phase, reason, message, conditions, fields, outputs, requeueAfterMs };
  },
};

/**
 * The generations (`<uid>/<generation>`) warned about since the status last said otherwise: the status is written
 * only once the children settle (see `shared/component`), so the reconciles before it would warn again (each an
 * Event count patch). Bounded; a restart forgets, and the status check then holds.
 */
const warnedGenerations = new Set<string>();
const maxWarnedGenerations = 4096;

/**
 * One Warning Event when the OpenWhisk first runs without design documents (its status does not say `NotProvided`
 * yet); the condition carries the same message from then on. `recordEvent` never rejects.
 */
async function warnIfNoDesignDocuments(cr: OpenWhisk, deps: Deps): Promise<void> {
  if (designDocumentsConfigMap(cr) !== undefined) return;
  if (findCondition(cr.status?.conditions, 'DesignDocuments')?.reason === 'NotProvided') return;
  const generation = `${cr.metadata.uid ?? keyOf(cr)}/${cr.metadata.generation ?? 0}`;
  if (warnedGenerations.has(generation)) return;
  if (warnedGenerations.size >= maxWarnedGenerations) warnedGenerations.clear();
  warnedGenerations.add(generation);
  await recordEvent(deps.kube, cr, {
    type: 'Warning', reason: 'DesignDocumentsNotProvided', message: designDocumentsNotProvidedMessage,
    reportingController: `nimbus-${openwhiskOperator}`,
  }, deps.log, deps.clock);
}

/** The OpenWhisks of `namespace` whose `spec.designDocuments.configMapRef` names the ConfigMap `name`. */
export function openwhisksUsingConfigMap(openwhisks: readonly OpenWhisk[], namespace: string | undefined, name: string): ObjectKey[] {
  return openwhisks.filter((cr) => cr.metadata.namespace === namespace && designDocumentsConfigMap(cr) === name).map(keyOf);
}

/** reconcile(key) of an OpenWhisk (`namespace/name`). */
export const reconcileOpenWhisk: Reconciler = componentReconciler(openwhiskComponent);

function keyOf(cr: OpenWhisk): ObjectKey {
  return `${cr.metadata.namespace ?? ''}/${cr.metadata.name ?? ''}`;
}

/** The OpenWhisks of `namespace` whose `spec.couchdb.ref` names the CouchDB `name`. */
export function openwhisksUsingCouchDB(openwhisks: readonly OpenWhisk[], namespace: string | undefined, name: string): ObjectKey[] {
  return openwhisks.filter((cr) => cr.metadata.namespace === namespace && cr.spec?.couchdb.ref?.name === name).map(keyOf);
}

/** The OpenWhisks of `namespace` whose `spec.couchdb.secretRef` (url mode) names the Secret `name`. */
export function openwhisksUsingSecret(openwhisks: readonly OpenWhisk[], namespace: string | undefined, name: string): ObjectKey[] {
  return openwhisks.filter((cr) => cr.metadata.namespace === namespace && cr.spec?.couchdb.secretRef?.name === name).map(keyOf);
}
