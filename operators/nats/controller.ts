/**
 * The NatsCluster controller: the shared controller runtime around `reconcileNats`, woken by changes of the
 * NatsClusters and of the children they own. Builds no clients: `deps` come from `main.ts` (or a test, or `npm start`).
 */
import type { OperatorConfig } from '#shared/config/index.ts';
import { createController, type Controller, type ControllerOptions } from '#shared/controller/controller.ts';
import type { Deps } from '#shared/controller/types.ts';
import { commonControllerOptions } from '#shared/operator/defaults.ts';
import type { OperatorRuntime } from '#shared/operator/types.ts';
import { trimPodTemplates } from '#shared/watch/transform.ts';
import { natsKindRef, natsOperator, reconcileNats } from './reconcile.ts';

/** The kinds a NatsCluster owns: a change of any of them reconciles its owner. */
export const natsOwnedKinds = [
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
] as const;

/** The NatsCluster controller; `overrides` serve tests (backoff, resync). */
export function natsController(
  deps: Deps, config: OperatorConfig, runtime: OperatorRuntime = {}, overrides: Partial<ControllerOptions> = {},
): Controller {
  return createController({
    ...commonControllerOptions(natsOperator, config, runtime),
    name: natsOperator,
    kind: natsKindRef,
    reconcile: reconcileNats,
    deps,
    owns: [...natsOwnedKinds],
    // Its own children only (every one carries the label, via nimbusLabels): not every tenant's objects of these kinds.
    ownedLabelSelector: `app.kubernetes.io/managed-by=nimbus-${natsOperator}`,
    // No reconciler reads the pod template of the StatefulSet: the cache keeps its digest (skip-apply compares that).
    ownedTransform: trimPodTemplates,
    ...overrides,
  });
}
