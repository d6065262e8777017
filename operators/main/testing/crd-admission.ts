/**
 * Test support: admit an object against a CRD file the way the embedded API server does (defaults, pruning, schema
 * and CEL validation), so CRD tests exercise the real rules instead of re-stating them.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import type { KubeObject } from '#shared/kube/types.ts';
import { admitCustomResource, checkCrd } from '#sim/crd/index.ts';
import type { AdmissionContext, Cause } from '#sim/types.ts';

const root = new URL('../../../', import.meta.url);

/** A CRD file of the repository, parsed. */
export function loadCrd(file: string): KubeObject {
  return load(readFileSync(new URL(file, root), 'utf8')) as KubeObject;
}

/** The CRD's own validation causes (what the API server answers to applying the CRD). */
export function crdProblems(crd: KubeObject): Cause[] {
  return checkCrd(crd);
}

/** Admit `object` (create, or update of `old`): the defaulted object and the validation causes. */
export function admit(crd: KubeObject, object: KubeObject, old?: KubeObject): { object: KubeObject; causes: Cause[] } {
  const spec = crd['spec'] as { group: string; scope: string; names: { plural: string; singular: string; kind: string } };
  const ctx: AdmissionContext = {
    operation: old ? 'update' : 'create',
    resource: {
      group: spec.group,
      version: 'v1alpha1',
      name: spec.names.plural,
      singularName: spec.names.singular,
      kind: spec.names.kind,
      namespaced: spec.scope === 'Namespaced',
      verbs: ['create', 'update', 'get'],
      subresources: ['status'],
    },
    old,
    subresource: '',
  };
  return admitCustomResource(crd, 'v1alpha1', object, ctx);
}

/** The messages of the causes, for readable assertions. */
export function messages(causes: Cause[]): string {
  return causes.map((c) => `${c.field}: ${c.message}`).join('\n');
}
