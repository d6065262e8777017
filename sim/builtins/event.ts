/**
 * core/v1 Event: the fields Go always writes (`eventTime: null`, empty reporting fields) and the namespace rule.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { Cause } from '#sim/types.ts';
import { invalidValue, required } from './causes.ts';
import { isObject, setDefault } from './json.ts';

/** Event defaults (in place). */
export function defaultEvent(obj: KubeObject): void {
  if (!('eventTime' in obj)) obj.eventTime = null;
  setDefault(obj, 'reportingComponent', '');
  setDefault(obj, 'reportingInstance', '');
}

/** Event validation: the involved object must live in the event's namespace (or be cluster-scoped). */
export function validateEvent(obj: KubeObject): Cause[] {
  const involved = isObject(obj.involvedObject) ? obj.involvedObject : undefined;
  if (!involved) return [required('involvedObject')];
  const ns = involved.namespace;
  if (typeof ns === 'string' && ns !== '' && obj.metadata.namespace && ns !== obj.metadata.namespace) {
    return [invalidValue('involvedObject.namespace', ns, 'does not match event.namespace')];
  }
  return [];
}
