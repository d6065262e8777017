/**
 * Deployment and StatefulSet (apps/v1): server defaults, create-time status, validation and the update rules
 * (selector immutable; a StatefulSet only lets replicas, template, updateStrategy, minReadySeconds and the PVC
 * retention policy change).
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { Cause } from '#sim/types.ts';
import { forbidden, immutable, invalidValue, notSupported } from './causes.ts';
import { child, isObject, jsonEqual, objects, peek, setDefault } from './json.ts';
import type { JsonObject } from './json.ts';
import { defaultPodTemplate, validatePodSpec } from './podspec.ts';
import { validateWorkloadSelector } from './selector.ts';

function nonNegative(spec: JsonObject, key: string, causes: Cause[]): void {
  const v = spec[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    causes.push(invalidValue(`spec.${key}`, v, 'must be greater than or equal to 0'));
  }
}

/** Deployment defaults (in place). */
export function defaultDeployment(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = child(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplate(child(spec, 'template'), { defaultRestartPolicy: true });
}

/** Deployment validation; `old` is the stored object on update. */
export function validateDeployment(obj: KubeObject, old: KubeObject | undefined): Cause[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const template = peek(spec, 'template');
  const causes = validateWorkloadSelector(spec.selector, peek(template, 'metadata')?.labels, 'spec', 'deployment');
  nonNegative(spec, 'replicas', causes);
  nonNegative(spec, 'revisionHistoryLimit', causes);
  const strategy = peek(spec, 'strategy');
  if (strategy?.type !== 'RollingUpdate' && strategy?.type !== 'Recreate') {
    causes.push(notSupported('spec.strategy.type', strategy?.type ?? '', ['Recreate', 'RollingUpdate']));
  } else if (strategy.type === 'Recreate' && strategy.rollingUpdate !== undefined) {
    causes.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  }
  causes.push(...validatePodSpec(template?.spec, 'spec.template.spec', { restartPolicies: ['Always'] }));
  const oldSelector = old && isObject(old.spec) ? old.spec.selector : undefined;
  if (old && !jsonEqual(oldSelector, spec.selector)) causes.push(immutable('spec.selector', spec.selector));
  return causes;
}

/** StatefulSet defaults (in place). */
export function defaultStatefulSet(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = child(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') setDefault(child(strategy, 'rollingUpdate'), 'partition', 0);
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(child(spec, 'template'), { defaultRestartPolicy: true });
  for (const claim of objects(spec.volumeClaimTemplates)) {
    setDefault(claim, 'kind', 'PersistentVolumeClaim');
    setDefault(claim, 'apiVersion', 'v1');
    const meta = child(claim, 'metadata');
    if (!('creationTimestamp' in meta)) meta.creationTimestamp = null;
    setDefault(child(claim, 'spec'), 'volumeMode', 'Filesystem');
    setDefault(child(claim, 'status'), 'phase', 'Pending');
  }
}

/** Spec fields of a StatefulSet that may change after creation. */
const stsMutable = ['replicas', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

/** StatefulSet validation; `old` is the stored object on update. */
export function validateStatefulSet(obj: KubeObject, old: KubeObject | undefined): Cause[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const template = peek(spec, 'template');
  const causes = validateWorkloadSelector(spec.selector, peek(template, 'metadata')?.labels, 'spec', 'statefulset');
  nonNegative(spec, 'replicas', causes);
  if (spec.podManagementPolicy !== 'OrderedReady' && spec.podManagementPolicy !== 'Parallel') {
    causes.push(notSupported('spec.podManagementPolicy', spec.podManagementPolicy ?? '', ['OrderedReady', 'Parallel']));
  }
  const strategyType = peek(spec, 'updateStrategy')?.type;
  if (strategyType !== 'RollingUpdate' && strategyType !== 'OnDelete') {
    causes.push(notSupported('spec.updateStrategy.type', strategyType ?? '', ['OnDelete', 'RollingUpdate']));
  }
  const claimNames = objects(spec.volumeClaimTemplates)
    .map((c) => peek(c, 'metadata')?.name)
    .filter((n): n is string => typeof n === 'string');
  causes.push(...validatePodSpec(template?.spec, 'spec.template.spec', { restartPolicies: ['Always'], extraVolumeNames: claimNames }));
  if (old && isObject(old.spec)) {
    const oldSpec = old.spec;
    const changed = Object.keys({ ...oldSpec, ...spec })
      .filter((k) => !stsMutable.includes(k))
      .some((k) => !jsonEqual(oldSpec[k], spec[k]));
    if (changed) {
      causes.push(forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
    }
  }
  return causes;
}

/** The status a new Deployment starts with. */
export function initialDeploymentStatus(): JsonObject {
  return {};
}

/** The status a new StatefulSet starts with (Go writes the two non-omitempty counters). */
export function initialStatefulSetStatus(): JsonObject {
  return { replicas: 0, availableReplicas: 0 };
}
