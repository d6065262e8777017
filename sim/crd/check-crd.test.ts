import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import type { StatusBody } from '#sim/types.ts';
import { checkCrd, crdDefaults, establishedCrdStatus, invalidMessage } from './index.ts';
import { loadSteps, mismatch } from '../../test/helpers/recorded-cases.ts';

const CRD_CASES = [
  'crd-cel-validation', 'crd-cluster-scoped', 'crd-create-established', 'crd-defaults-and-pruning',
  'crd-status-subresource-generation', 'crd-table-printer-columns', 'crd-update-conflict-patch-types',
  'crd-validation-errors', 'ssa-custom-resource-status',
];

describe('checkCrd / crdDefaults against the recorded v1.24 answers', () => {
  for (const name of CRD_CASES) {
    it(`${name}: the CRD is valid and its defaults match the 201 answer`, () => {
      const step = loadSteps(name)[0];
      const crd = crdDefaults(step?.request.body as KubeObject);
      expect(checkCrd(crd)).to.deep.equal([]);
      const recorded = step?.response.body as KubeObject;
      expect(mismatch(recorded['spec'], crd['spec'])).to.equal(undefined);
      expect(mismatch(recorded['status'], crd['status'])).to.equal(undefined);
    });
  }

  it('crd-create-established: the established status matches the polled answer', () => {
    const steps = loadSteps('crd-create-established');
    const crd = crdDefaults(steps[0]?.request.body as KubeObject);
    const status = establishedCrdStatus(crd, '2026-01-01T00:00:00Z');
    const recorded = steps[1]?.response.body as KubeObject;
    expect(mismatch(recorded['status'], status)).to.equal(undefined);
  });

  describe('crd-non-structural-rejected', () => {
    const steps = loadSteps('crd-non-structural-rejected').filter((s) => s.response.status === 422);
    steps.forEach((step, i) => {
      it(`rejection ${i + 1}: ${(step.response.body as StatusBody).details?.causes?.[0]?.field ?? ''}`, () => {
        const crd = crdDefaults(step.request.body as KubeObject);
        const causes = checkCrd(crd);
        const recorded = step.response.body as StatusBody;
        expect(causes).to.deep.equal(recorded.details?.causes);
        const msg = invalidMessage('CustomResourceDefinition', 'apiextensions.k8s.io', crd.metadata.name ?? '', causes);
        expect(msg).to.equal(recorded.message);
      });
    });
  });

  it('reports missing names, bad scope and no storage version', () => {
    const crd = crdDefaults({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'things.x.example.com' },
      spec: {
        group: 'x.example.com', scope: 'Global', names: { plural: 'things' },
        versions: [{ name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } }],
      },
    });
    const fields = checkCrd(crd).map((c) => `${c.field} ${c.reason}`);
    expect(fields).to.deep.equal([
      'spec.scope FieldValueNotSupported',
      'spec.versions FieldValueInvalid',
      'spec.names.singular FieldValueRequired',
      'spec.names.kind FieldValueRequired',
      'spec.names.listKind FieldValueRequired',
    ]);
  });

  it('reports schema problems per version when versions differ, and array items without type', () => {
    const crd = crdDefaults({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'things.x.example.com' },
      spec: {
        group: 'x.example.com', scope: 'Namespaced', names: { plural: 'things', kind: 'Thing' },
        versions: [
          { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { a: { type: 'array', items: {} } } } } },
          { name: 'v2', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
        ],
      },
    });
    expect(checkCrd(crd)).to.deep.equal([{
      field: 'spec.versions[0].schema.openAPIV3Schema.properties[a].items.type',
      reason: 'FieldValueRequired',
      message: 'Required value: must not be empty for specified array items',
    }]);
  });

  it('on update, group is immutable, and scope once established', () => {
    const step = loadSteps('crd-create-established')[1];
    const established = step?.response.body as KubeObject;
    const changed = structuredClone(established);
    const spec = changed['spec'] as Record<string, unknown>;
    spec['scope'] = 'Cluster';
    expect(checkCrd(changed, established)).to.deep.equal([
      { field: 'spec.scope', reason: 'FieldValueInvalid', message: 'Invalid value: "Cluster": field is immutable' },
    ]);
    expect(checkCrd(established, established)).to.deep.equal([]);
  });
});
