/**
 * coordination.k8s.io/v1 Lease validation (leader election writes these every few seconds).
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { Cause } from '#sim/types.ts';
import { invalidValue } from './causes.ts';
import { isObject } from './json.ts';

/** Lease validation. */
export function validateLease(obj: KubeObject): Cause[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const causes: Cause[] = [];
  const duration = spec.leaseDurationSeconds;
  if (duration !== undefined && (typeof duration !== 'number' || duration <= 0)) {
    causes.push(invalidValue('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
  }
  const transitions = spec.leaseTransitions;
  if (transitions !== undefined && (typeof transitions !== 'number' || transitions < 0)) {
    causes.push(invalidValue('spec.leaseTransitions', transitions, 'must be greater than or equal to 0'));
  }
  return causes;
}
