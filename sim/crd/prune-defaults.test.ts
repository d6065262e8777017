import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { admitCustomResource } from './index.ts';
import type { JsonSchema } from './index.ts';
import { ctxFor } from './cases.test-support.ts';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 3 },
        opt: { type: 'string', nullable: true },
        plain: { type: 'string' },
        level: { type: 'integer', default: 5 },
        when: { type: 'string', format: 'date-time' },
        nested: { type: 'object', properties: { deep: { type: 'object', properties: { x: { type: 'integer', default: 1 } } } } },
        list: { type: 'array', minItems: 1, items: { type: 'object', properties: { k: { type: 'string', default: 'd' } } } },
        map: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'integer', default: 7 } } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'integer', default: 2 } } },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string', enum: ['A', 'B'] } } },
  },
};

const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gizmos.t.example.com' },
  spec: {
    group: 't.example.com', scope: 'Namespaced', names: { plural: 'gizmos', kind: 'Gizmo' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema }, subresources: { status: {} } }],
  },
};

function gizmo(rest: Record<string, unknown>): KubeObject {
  return { apiVersion: 't.example.com/v1', kind: 'Gizmo', metadata: { name: 'g', namespace: 'ns' }, ...rest };
}

describe('pruning and defaulting', () => {
  it('defaults inside existing parents only, prunes unknown fields, keeps preserved ones', () => {
    const { object, causes } = admitCustomResource(crd, 'v1', gizmo({
      spec: {
        level: null, plain: null, opt: null, nested: {}, list: [{}, { k: 'x', junk: 1 }], map: { a: {}, b: { v: 1 } },
        free: { any: { thing: [1] } }, junk: true,
      },
      junkTop: 1,
    }), ctxFor());
    expect(causes).to.deep.equal([]);
    expect(object['junkTop']).to.equal(undefined);
    expect(object['spec']).to.deep.equal({
      level: 5, opt: null, nested: {}, list: [{ k: 'd' }, { k: 'x' }], map: { a: { v: 7 }, b: { v: 1 } },
      free: { any: { thing: [1] }, known: 2 },
    });
  });

  it('keeps only ObjectMeta fields in metadata', () => {
    const obj = gizmo({ spec: {} });
    obj.metadata['bogus'] = 1;
    obj.metadata.labels = { a: 'b' };
    const { object } = admitCustomResource(crd, 'v1', obj, ctxFor());
    expect(object.metadata).to.deep.equal({ name: 'g', namespace: 'ns', labels: { a: 'b' } });
  });
});

describe('schema validation messages', () => {
  it('maxLength, minItems, format, null and enum', () => {
    const { causes } = admitCustomResource(crd, 'v1', gizmo({
      spec: { name: 'abcd', list: [], when: 'yesterday', nested: { deep: 'no' } },
    }), ctxFor());
    expect(causes).to.deep.equal([
      { field: 'spec.list', reason: 'FieldValueInvalid', message: 'Invalid value: 0: spec.list in body should have at least 1 items' },
      { field: 'spec.name', reason: 'FieldValueInvalid', message: 'Invalid value: "abcd": spec.name in body should be at most 3 chars long' },
      { field: 'spec.nested.deep', reason: 'FieldValueInvalid', message: 'Invalid value: "string": spec.nested.deep in body must be of type object: "string"' },
      { field: 'spec.when', reason: 'FieldValueInvalid', message: 'Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"' },
    ]);
  });

  it('validates what the status strategy keeps: status on /status only', () => {
    const old = admitCustomResource(crd, 'v1', gizmo({ spec: {} }), ctxFor()).object;
    const badStatus = gizmo({ spec: {}, status: { phase: 'C' } });
    expect(admitCustomResource(crd, 'v1', badStatus, ctxFor()).causes).to.deep.equal([]);
    expect(admitCustomResource(crd, 'v1', badStatus, ctxFor(old)).causes).to.deep.equal([]);
    expect(admitCustomResource(crd, 'v1', badStatus, ctxFor(old, 'status')).causes).to.deep.equal([
      { field: 'status.phase', reason: 'FieldValueNotSupported', message: 'Unsupported value: "C": supported values: "A", "B"' },
    ]);
    const badSpecOnStatus = gizmo({ spec: { name: 'toolong' }, status: { phase: 'A' } });
    expect(admitCustomResource(crd, 'v1', badSpecOnStatus, ctxFor(old, 'status')).causes).to.deep.equal([]);
  });

  it('duplicate items of set lists and duplicate keys of map lists', () => {
    const listCrd = structuredClone(crd);
    const spec = (((listCrd['spec'] as Record<string, unknown>)['versions'] as Record<string, unknown>[])[0]?.['schema'] as
      { openAPIV3Schema: JsonSchema }).openAPIV3Schema.properties?.['spec'];
    if (spec?.properties) {
      spec.properties['tags'] = { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } };
      spec.properties['ports'] = {
        type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer' } } },
      };
    }
    const { causes } = admitCustomResource(listCrd, 'v1', gizmo({
      spec: { tags: ['a', 'b', 'a'], ports: [{ name: 'x', port: 1 }, { name: 'x', port: 2 }] },
    }), ctxFor());
    expect(causes).to.deep.equal([
      { field: 'spec.ports[1]', reason: 'FieldValueDuplicate', message: 'Duplicate value: map[string]interface {}{"name":"x"}' },
      { field: 'spec.tags[2]', reason: 'FieldValueDuplicate', message: 'Duplicate value: "a"' },
    ]);
  });
});
