/**
 * The CouchDB controller: the shared controller runtime around `reconcileCouchDB`, woken by changes of the CouchDBs,
 * of the children they own, and of the admin Secrets they reference (`spec.adminSecretRef`: created by the user, so
 * not owned). Builds no clients: `deps` come from `main.ts` (or a test, or `npm start`).
 */
import type { OperatorConfig } from '#shared/config/index.ts';
import { createController, type Controller, type ControllerOptions } from '#shared/controller/controller.ts';
import type { Deps, ObjectKey } from '#shared/controller/types.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import { nimbusOwnerKey } from '#shared/objects/index.ts';
import { commonControllerOptions } from '#shared/operator/defaults.ts';
import type { OperatorRuntime } from '#shared/operator/types.ts';
import { trimOtherOperatorsData, trimPodTemplates } from '#shared/watch/transform.ts';
import { couchdbKindRef, couchdbOperator, couchdbsUsingSecret, reconcileCouchDB } from './reconcile.ts';
import type { CouchDB } from './types.ts';

/** The kinds a CouchDB owns (Secrets are watched separately, see below): a change reconciles the owner. */
export const couchdbOwnedKinds = [
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'batch/v1', kind: 'Job' },
] as const;

/** The CouchDB controller; `overrides` serve tests (backoff, resync). */
export function couchdbController(
  deps: Deps, config: OperatorConfig, runtime: OperatorRuntime = {}, overrides: Partial<ControllerOptions> = {},
): Controller {
  /** A Secret wakes the CouchDB that owns it and every CouchDB that names it in `spec.adminSecretRef`. */
  const secretOwners = (secret: KubeObject): ObjectKey[] => {
    const namespace = secret.metadata.namespace;
    const keys = new Set<ObjectKey>();
    const owner = nimbusOwnerKey(secret, couchdbKindRef.kind);
    if (owner) keys.add(owner);
    // The controller's own cache of CouchDBs (the mapper only runs once the controller has started).
    const couchdbs = (controller.cacheOf(couchdbKindRef)?.list({ namespace }) ?? []) as CouchDB[];
    for (const key of couchdbsUsingSecret(couchdbs, namespace, secret.metadata.name ?? '')) keys.add(key);
    return [...keys];
  };
  const controller: Controller = createController({
    ...commonControllerOptions(couchdbOperator, config, runtime),
    name: couchdbOperator,
    kind: couchdbKindRef,
    reconcile: reconcileCouchDB,
    deps,
    owns: [...couchdbOwnedKinds],
    // Its own children only (every one carries the label, via nimbusLabels): not every tenant's objects of these kinds.
    ownedLabelSelector: `app.kubernetes.io/managed-by=nimbus-${couchdbOperator}`,
    // No reconciler reads the pod template of the StatefulSet and init Job: the cache keeps its digest (skip-apply compares that).
    ownedTransform: trimPodTemplates,
    // Every Secret of the cluster, for the wake-ups: the data of other operators' Secrets is not kept (nor read).
    watches: [{ kind: { apiVersion: 'v1', kind: 'Secret' }, map: secretOwners, transform: trimOtherOperatorsData(`nimbus-${couchdbOperator}`) }],
    ...overrides,
  });
  return controller;
}
