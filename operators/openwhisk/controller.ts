/**
 * The OpenWhisk controller: the shared controller runtime around `reconcileOpenWhisk`, woken by changes of the
 * OpenWhisks, of the children they own, of the CouchDBs and design-document ConfigMaps they reference (so an OpenWhisk waiting on its CouchDB moves
 * on as soon as that CouchDB is Ready, not when a timer fires) and of the Secrets they own or reference. The
 * referencing OpenWhisks are looked up in the controller's own informer cache: no API call per event.
 */
import type { OperatorConfig } from '#shared/config/index.ts';
import { createController, type Controller, type ControllerOptions } from '#shared/controller/controller.ts';
import type { Deps, ObjectKey } from '#shared/controller/types.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import { nimbusOwnerKey } from '#shared/objects/index.ts';
import { commonControllerOptions } from '#shared/operator/defaults.ts';
import type { OperatorRuntime } from '#shared/operator/types.ts';
import { trimOtherOperatorsData, trimPodTemplates } from '#shared/watch/transform.ts';
import {
  openwhiskKindRef, openwhiskOperator, openwhisksUsingConfigMap, openwhisksUsingCouchDB, openwhisksUsingSecret, reconcileOpenWhisk,
} from './reconcile.ts';
import type { OpenWhisk } from './types.ts';

/** The kinds an OpenWhisk owns (Secrets and ConfigMaps are watched separately, see below): a change reconciles the owner. */
export const openwhiskOwnedKinds = [
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'batch/v1', kind: 'Job' },
] as const;

export const couchdbKindRef = { apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB' } as const;

export interface OpenWhiskControllerOverrides extends Partial<ControllerOptions> {
  /**
   * Watch CouchDBs (default true). Off when the CouchDB CRD is not installed (the operator deployed alone, used with
   * external CouchDB URLs): a watch on an unserved kind never syncs. `couchdb.ref` then relies on the recheck timer.
   */
  watchCouchDBs?: boolean | undefined;
}

/** The OpenWhisk controller; `overrides` serve tests (backoff, resync) and `main.ts` (`watchCouchDBs`). */
export function openwhiskController(
  deps: Deps, config: OperatorConfig, runtime: OperatorRuntime = {}, overrides: OpenWhiskControllerOverrides = {},
): Controller {
  const { watchCouchDBs = true, ...controllerOverrides } = overrides;
  // The controller's own cache of OpenWhisks (mappers only run once the controller has started).
  const openwhisks = (namespace: string | undefined): OpenWhisk[] =>
    (controller.cacheOf(openwhiskKindRef)?.list({ namespace }) ?? []);
  const couchdbUsers = (couchdb: KubeObject): ObjectKey[] =>
    openwhisksUsingCouchDB(openwhisks(couchdb.metadata.namespace), couchdb.metadata.namespace, couchdb.metadata.name ?? '');
  /** A mapper waking the OpenWhisk that owns the object and those `using` finds referencing it. */
  const ownerAndUsers = (using: typeof openwhisksUsingSecret) => (object: KubeObject): ObjectKey[] => {
    const namespace = object.metadata.namespace;
    const keys = new Set(using(openwhisks(namespace), namespace, object.metadata.name ?? ''));
    const owner = nimbusOwnerKey(object, openwhiskKindRef.kind);
    if (owner) keys.add(owner);
    return [...keys];
  };
  /** A Secret wakes the OpenWhisk that owns it (auth keys) and those that use it as CouchDB credentials. */
  const secretUsers = ownerAndUsers(openwhisksUsingSecret);
  /** A ConfigMap wakes the OpenWhisk that owns it (runtimes) and those that read design documents from it. */
  const configMapUsers = ownerAndUsers(openwhisksUsingConfigMap);
  const trimOtherData = trimOtherOperatorsData(`nimbus-${openwhiskOperator}`);
  const controller: Controller = createController({
    ...commonControllerOptions(openwhiskOperator, config, runtime),
    name: openwhiskOperator,
    kind: openwhiskKindRef,
    reconcile: reconcileOpenWhisk,
    deps,
    owns: [...openwhiskOwnedKinds],
    // Its own children only (every one carries the label, via nimbusLabels): not every tenant's objects of these kinds.
    ownedLabelSelector: `app.kubernetes.io/managed-by=nimbus-${openwhiskOperator}`,
    // No reconciler reads the pod template of the Deployment and init Job: the cache keeps its digest (skip-apply compares that).
    ownedTransform: trimPodTemplates,
    watches: [
      ...(watchCouchDBs ? [{ kind: couchdbKindRef, map: couchdbUsers }] : []),
      // Every Secret and ConfigMap of the cluster, for the wake-ups: other operators' data is not kept (nor read).
      { kind: { apiVersion: 'v1', kind: 'Secret' }, map: secretUsers, transform: trimOtherData },
      { kind: { apiVersion: 'v1', kind: 'ConfigMap' }, map: configMapUsers, transform: trimOtherData },
    ],
    ...controllerOverrides,
  });
  return controller;
}
