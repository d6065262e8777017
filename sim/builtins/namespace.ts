/**
 * Namespace (core/v1): the `kubernetes` finalizer, phase Active and the `kubernetes.io/metadata.name` label, which the
 * real server always (re)writes to the namespace's name.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { Cause } from '#sim/types.ts';
import { notSupported } from './causes.ts';
import { child, isObject } from './json.ts';
import type { JsonObject } from './json.ts';

/** The label every namespace carries, equal to its name. */
export const namespaceNameLabel = 'kubernetes.io/metadata.name';

/** Namespace defaults (in place). */
export function defaultNamespace(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!Array.isArray(spec.finalizers)) spec.finalizers = ['kubernetes'];
  if (obj.metadata.name) obj.metadata.labels = { ...obj.metadata.labels, [namespaceNameLabel]: obj.metadata.name };
}

/** Namespace validation. */
export function validateNamespace(obj: KubeObject): Cause[] {
  const phase = isObject(obj.status) ? obj.status.phase : undefined;
  const causes: Cause[] = [];
  if (phase !== undefined && phase !== 'Active' && phase !== 'Terminating') {
    causes.push(notSupported('status.phase', phase, ['Active', 'Terminating']));
  }
  return causes;
}

/** The status a new Namespace starts with. */
export function initialNamespaceStatus(): JsonObject {
  return { phase: 'Active' };
}
