/**
 * Test support for the CRD unit tests: an admission context for a Widget. The recorded cases and the matcher are
 * `test/helpers/recorded-cases.ts` (shared with the built-in kinds' tests).
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { AdmissionContext, ResourceInfo } from '#sim/types.ts';

const RESOURCE: ResourceInfo = {
  group: 'example.com', version: 'v1', name: 'widgets', singularName: 'widget', kind: 'Widget', namespaced: true,
  verbs: ['create', 'get'], subresources: ['status'],
};

/** An AdmissionContext for a create, an update (with `old`) or a /status update. */
export function ctxFor(old?: KubeObject, subresource: '' | 'status' = ''): AdmissionContext {
  return { operation: old ? 'update' : 'create', resource: RESOURCE, old, subresource };
}
