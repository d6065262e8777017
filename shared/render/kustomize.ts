/**
 * Kustomize-like helpers in the spirit of Nuvolaris (seed 002: "secretGenerator", "patches", a kustomization that
 * lists resources), done in process on plain objects: no kubectl, no kustomize binary, no files. Inputs are never
 * mutated; every function returns new objects.
 */
import type { KubeObject, OwnerReference } from '#shared/kube/types.ts';
import { RenderError } from './errors.ts';

export interface SecretLiteralOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Default `Opaque`. */
  type?: string;
}

/** A Secret from literal values (`kustomize create secret generic --from-literal`), `data` base64-encoded. */
export function secretLiteral(
  name: string, namespace: string, literals: Record<string, string>, options: SecretLiteralOptions = {},
): KubeObject {
  const data: Record<string, string> = {};
  for (const key of Object.keys(literals).sort()) data[key] = Buffer.from(literals[key] ?? '', 'utf8').toString('base64');
  const metadata: KubeObject['metadata'] = { name, namespace };
  if (options.labels) metadata.labels = { ...options.labels };
  if (options.annotations) metadata.annotations = { ...options.annotations };
  return { apiVersion: 'v1', kind: 'Secret', metadata, type: options.type ?? 'Opaque', data };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386 JSON merge patch: objects merge recursively, `null` removes a key, anything else replaces. */
export function mergePatch(target: unknown, patchValue: unknown): unknown {
  if (!isRecord(patchValue)) return structuredClone(patchValue);
  const result: Record<string, unknown> = isRecord(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patchValue)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

export interface PatchTarget {
  kind: string;
  name: string;
  /** When given, only the object in this namespace matches. */
  namespace?: string;
  /** When given, only objects of this apiVersion match. */
  apiVersion?: string;
}

function matches(object: KubeObject, target: PatchTarget): boolean {
  return object.kind === target.kind && object.metadata.name === target.name
    && (target.namespace === undefined || object.metadata.namespace === target.namespace)
    && (target.apiVersion === undefined || object.apiVersion === target.apiVersion);
}

/**
 * Apply a JSON merge patch to every object matching `target` (a strategic "patchesStrategicMerge" without the
 * strategy: lists are replaced, not merged). Throws a RenderError when nothing matches, since a patch that silently
 * does nothing is a bug.
 */
export function patch(objects: readonly KubeObject[], target: PatchTarget, patchValue: object): KubeObject[] {
  let matched = false;
  const result = objects.map((object) => {
    if (!matches(object, target)) return object;
    matched = true;
    return mergePatch(object, patchValue) as KubeObject;
  });
  if (!matched) {
    const ns = target.namespace === undefined ? '' : ` in namespace ${target.namespace}`;
    throw new RenderError(`patch target ${target.kind}/${target.name}${ns} matches no object`);
  }
  return result;
}

/** Kinds that have no namespace (core ones plus Nimbus' Tenant); extend with `clusterScopedKinds`. */
export const clusterScopedKinds: readonly string[] = [
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'CSINode', 'RuntimeClass', 'PriorityClass',
  'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService', 'IngressClass',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'Tenant',
];

export interface KustomOptions {
  /** Set on every namespaced object (and on ServiceAccount subjects of bindings that have none). */
  namespace?: string;
  /** Added to metadata.labels and to pod template labels, never to selectors (those are immutable). */
  commonLabels?: Record<string, string>;
  /** Added to every object that does not already carry an owner reference with the same uid. */
  ownerReference?: OwnerReference;
  /** Extra cluster-scoped kinds (e.g. your own cluster-scoped CRDs). */
  clusterScopedKinds?: readonly string[];
}

function identity(object: KubeObject): string {
  return `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

function addTemplateLabels(object: KubeObject, labels: Record<string, string>): void {
  const spec = object['spec'];
  const template = isRecord(spec) ? spec['template'] : undefined;
  if (!isRecord(template)) return;
  const metadata = isRecord(template['metadata']) ? template['metadata'] : {};
  metadata['labels'] = { ...(isRecord(metadata['labels']) ? metadata['labels'] : {}), ...labels };
  template['metadata'] = metadata;
}

function setSubjectNamespaces(object: KubeObject, namespace: string): void {
  if (object.kind !== 'RoleBinding' && object.kind !== 'ClusterRoleBinding') return;
  const subjects = object['subjects'];
  if (!Array.isArray(subjects)) return;
  for (const subject of subjects as unknown[]) {
    if (isRecord(subject) && subject['kind'] === 'ServiceAccount' && subject['namespace'] === undefined) {
      subject['namespace'] = namespace;
    }
  }
}

function customize(source: KubeObject, options: KustomOptions, clusterScoped: ReadonlySet<string>): KubeObject {
  const object = structuredClone(source);
  if (options.namespace !== undefined) {
    if (!clusterScoped.has(object.kind)) object.metadata.namespace = options.namespace;
    setSubjectNamespaces(object, options.namespace);
  }
  if (options.commonLabels) {
    object.metadata.labels = { ...(object.metadata.labels ?? {}), ...options.commonLabels };
    addTemplateLabels(object, options.commonLabels);
  }
  const owner = options.ownerReference;
  if (owner) {
    const refs = object.metadata.ownerReferences ?? [];
    if (!refs.some((ref) => ref.uid === owner.uid)) object.metadata.ownerReferences = [...refs, { ...owner }];
  }
  return object;
}

/**
 * A kustomization in a function call: concatenate lists, apply namespace / labels / owner reference, and let a
 * later object with the same kind, namespace and name replace an earlier one (keeping the earlier one's position,
 * so the order stays stable). Call as `kustomList(a, b, c)` or `kustomList(a, b, { namespace })`.
 */
export function kustomList(...args: [...lists: KubeObject[][], options: KustomOptions] | KubeObject[][]): KubeObject[] {
  const last = args.at(-1);
  const options: KustomOptions = last !== undefined && !Array.isArray(last) ? last : {};
  const lists: KubeObject[][] = [];
  for (const arg of args) if (Array.isArray(arg)) lists.push(arg);
  const clusterScoped = new Set([...clusterScopedKinds, ...(options.clusterScopedKinds ?? [])]);
  const byIdentity = new Map<string, number>();
  const result: KubeObject[] = [];
  for (const object of lists.flat()) {
    const customized = customize(object, options, clusterScoped);
    const key = identity(customized);
    const index = byIdentity.get(key);
    if (index === undefined) {
      byIdentity.set(key, result.length);
      result.push(customized);
    } else {
      result[index] = customized;
    }
  }
  return result;
}
