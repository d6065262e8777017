/**
 * Test support for the built-in kinds' admission tests: admission contexts and stored bodies. The recorded cases and
 * the "recorded ⊆ actual" matcher are `test/helpers/recorded-cases.ts` (shared with the CRD tests).
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '#shared/kube/types.ts';
import type { AdmissionContext, ResourceInfo } from '#sim/types.ts';
import { BUILTIN_RESOURCES } from '#sim/resources/builtin.ts';

/** The served ResourceInfo of a built-in kind. */
export function resourceOf(kind: string): ResourceInfo {
  const info = BUILTIN_RESOURCES.find((r) => r.kind === kind && r.group !== 'events.k8s.io');
  if (!info) throw new Error(`no built-in ${kind}`);
  return info;
}

/** An admission context for a create. */
export function createCtx(kind: string): AdmissionContext {
  return { operation: 'create', resource: resourceOf(kind), old: undefined, subresource: '' };
}

/** An admission context for an update of `old`. */
export function updateCtx(kind: string, old: KubeObject, subresource: '' | 'status' = ''): AdmissionContext {
  return { operation: 'update', resource: resourceOf(kind), old, subresource };
}

/** The request body as the store hands it to admission on create (system fields filled in). */
export function asStored(body: unknown, namespace?: string): KubeObject {
  const obj = structuredClone(body) as KubeObject;
  obj.metadata = { ...obj.metadata, uid: randomUUID(), resourceVersion: '1', creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') };
  if (namespace) obj.metadata.namespace = namespace;
  return obj;
}
