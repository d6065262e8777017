/**
 * The per-kind table of built-in semantics: how the name is validated, which defaults and validation apply, the
 * status a new object starts with, and whether `metadata.generation` is kept.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { Cause } from '#sim/types.ts';
import type { NameRule } from './names.ts';
import type { JsonObject } from './json.ts';
import { child, isObject, setDefault } from './json.ts';
import { defaultDeployment, defaultStatefulSet, initialDeploymentStatus, initialStatefulSetStatus, validateDeployment, validateStatefulSet } from './workloads.ts';
import { defaultJob, validateJob } from './job.ts';
import { defaultService, initialServiceStatus, validateService } from './service.ts';
import { validateConfigMap } from './configmap.ts';
import { defaultSecret, secretStringDataCauses, validateSecret } from './secret.ts';
import { defaultPvc, initialPvcStatus, validatePvc } from './pvc.ts';
import { defaultNamespace, initialNamespaceStatus, validateNamespace } from './namespace.ts';
import { defaultEvent, validateEvent } from './event.ts';
import { validateLease } from './lease.ts';
import { defaultBinding, validateBinding, validateRole } from './rbac.ts';
import { defaultPodSpec, validatePodSpec } from './podspec.ts';

/** The semantics of one built-in kind. */
export interface KindRules {
  nameRule: NameRule;
  /** Kinds whose spec changes bump `metadata.generation` (the others have none). */
  generation: boolean;
  /** Checks that must see the request before defaulting rewrites it (Secret `stringData` keys). */
  preValidate?: (obj: KubeObject) => Cause[];
  default?: (obj: KubeObject, creating: boolean) => void;
  validate?: (obj: KubeObject, old: KubeObject | undefined) => Cause[];
  /** The status of a new object; kinds with it have a status subresource: status is kept from the old object on update. */
  initialStatus?: () => JsonObject;
  /** Spec fields the main endpoint may not change (Namespace finalizers go through /finalize). */
  keepSpecOnUpdate?: boolean;
}

function defaultPod(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  defaultPodSpec(spec, { defaultRestartPolicy: true });
  setDefault(spec, 'enableServiceLinks', true);
}

function validatePod(obj: KubeObject): Cause[] {
  return validatePodSpec(isObject(obj.spec) ? obj.spec : undefined, 'spec');
}

/** Built-in kinds by `<group>/<Kind>` ('' group for core). */
export const builtinKinds: ReadonlyMap<string, KindRules> = new Map<string, KindRules>([
  ['/ConfigMap', { nameRule: 'subdomain', generation: false, validate: validateConfigMap }],
  ['/Secret', { nameRule: 'subdomain', generation: false, preValidate: secretStringDataCauses, default: defaultSecret, validate: validateSecret }],
  ['/Service', { nameRule: 'dns1035', generation: false, default: defaultService, validate: validateService, initialStatus: initialServiceStatus }],
  ['/ServiceAccount', { nameRule: 'subdomain', generation: false }],
  ['/PersistentVolumeClaim', { nameRule: 'subdomain', generation: false, default: defaultPvc, validate: validatePvc, initialStatus: initialPvcStatus }],
  ['/Namespace', { nameRule: 'label', generation: false, default: defaultNamespace, validate: validateNamespace, initialStatus: initialNamespaceStatus, keepSpecOnUpdate: true }],
  ['/Event', { nameRule: 'subdomain', generation: false, default: defaultEvent, validate: validateEvent }],
  ['/Pod', { nameRule: 'subdomain', generation: false, default: defaultPod, validate: validatePod, initialStatus: () => ({ phase: 'Pending', qosClass: 'BestEffort' }) }],
  ['apps/Deployment', { nameRule: 'subdomain', generation: true, default: defaultDeployment, validate: validateDeployment, initialStatus: initialDeploymentStatus }],
  ['apps/StatefulSet', { nameRule: 'subdomain', generation: true, default: defaultStatefulSet, validate: validateStatefulSet, initialStatus: initialStatefulSetStatus }],
  ['batch/Job', { nameRule: 'subdomain', generation: true, default: defaultJob, validate: validateJob, initialStatus: () => ({}) }],
  ['coordination.k8s.io/Lease', { nameRule: 'subdomain', generation: false, validate: validateLease }],
  ['rbac.authorization.k8s.io/Role', { nameRule: 'path-segment', generation: false, validate: validateRole }],
  ['rbac.authorization.k8s.io/ClusterRole', { nameRule: 'path-segment', generation: false, validate: validateRole }],
  ['rbac.authorization.k8s.io/RoleBinding', { nameRule: 'path-segment', generation: false, default: defaultBinding, validate: validateBinding }],
  ['rbac.authorization.k8s.io/ClusterRoleBinding', { nameRule: 'path-segment', generation: false, default: defaultBinding, validate: validateBinding }],
]);

/** The rules of a kind, or undefined for kinds that are not built in (custom resources). */
export function kindRules(group: string, kind: string): KindRules | undefined {
  return builtinKinds.get(`${group}/${kind}`);
}
