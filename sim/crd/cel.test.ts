import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { admitCustomResource } from './index.ts';
import type { JsonSchema } from './index.ts';
import { ctxFor } from './cases.test-support.ts';

function crdWith(schema: JsonSchema): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gizmos.t.example.com' },
    spec: {
      group: 't.example.com', scope: 'Namespaced', names: { plural: 'gizmos', kind: 'Gizmo' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
    },
  };
}

function gizmo(spec: unknown): KubeObject {
  return { apiVersion: 't.example.com/v1', kind: 'Gizmo', metadata: { name: 'g', namespace: 'ns' }, spec };
}

const immutable = crdWith({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        mode: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'mode is immutable' }] },
        replicas: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self >= oldSelf' }] },
        port: { 'x-kubernetes-int-or-string': true, 'x-kubernetes-validations': [{ rule: 'type(self) == int ? self > 0 : self.startsWith("h")' }] },
        labels: { type: 'object', additionalProperties: { type: 'string', 'x-kubernetes-validations': [{ rule: 'size(self) < 4' }] } },
      },
    },
  },
});

describe('CEL rules (x-kubernetes-validations)', () => {
  it('transition rules are skipped on create and checked against oldSelf on update', () => {
    const created = admitCustomResource(immutable, 'v1', gizmo({ mode: 'a', replicas: 2 }), ctxFor());
    expect(created.causes).to.deep.equal([]);
    const old = created.object;
    const same = admitCustomResource(immutable, 'v1', gizmo({ mode: 'a', replicas: 3 }), ctxFor(old));
    expect(same.causes).to.deep.equal([]);
    const changed = admitCustomResource(immutable, 'v1', gizmo({ mode: 'b', replicas: 1 }), ctxFor(old));
    expect(changed.causes).to.deep.equal([
      { field: 'spec.mode', reason: 'FieldValueInvalid', message: 'Invalid value: "b": mode is immutable' },
      { field: 'spec.replicas', reason: 'FieldValueInvalid', message: 'Invalid value: 1: failed rule: self >= oldSelf' },
    ]);
  });

  it('a transition rule is skipped when the old object has no value there', () => {
    const old = admitCustomResource(immutable, 'v1', gizmo({}), ctxFor()).object;
    const res = admitCustomResource(immutable, 'v1', gizmo({ mode: 'x' }), ctxFor(old));
    expect(res.causes).to.deep.equal([]);
  });

  it('int-or-string values reach CEL as int or string, and schema validation accepts both', () => {
    expect(admitCustomResource(immutable, 'v1', gizmo({ port: 8080 }), ctxFor()).causes).to.deep.equal([]);
    expect(admitCustomResource(immutable, 'v1', gizmo({ port: 'http' }), ctxFor()).causes).to.deep.equal([]);
    expect(admitCustomResource(immutable, 'v1', gizmo({ port: 0 }), ctxFor()).causes).to.deep.equal([{
      field: 'spec.port', reason: 'FieldValueInvalid',
      message: 'Invalid value: 0: failed rule: type(self) == int ? self > 0 : self.startsWith("h")',
    }]);
    expect(admitCustomResource(immutable, 'v1', gizmo({ port: true }), ctxFor()).causes[0]).to.deep.equal({
      field: 'spec.port', reason: 'FieldValueInvalid',
      message: 'Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
    });
  });

  it('rules on map values report the key in brackets', () => {
    const res = admitCustomResource(immutable, 'v1', gizmo({ labels: { ok: 'abc', bad: 'abcd' } }), ctxFor());
    expect(res.causes).to.deep.equal([
      { field: 'spec.labels[bad]', reason: 'FieldValueInvalid', message: 'Invalid value: "abcd": failed rule: size(self) < 4' },
    ]);
  });

  it('evaluation errors are reported like the real server (no such key)', () => {
    const crd = crdWith({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-validations': [{ rule: 'self.a < self.b', message: 'a < b' }],
          properties: { a: { type: 'integer' }, b: { type: 'number' } },
        },
      },
    });
    expect(admitCustomResource(crd, 'v1', gizmo({ a: 1, b: 1.5 }), ctxFor()).causes).to.deep.equal([]);
    expect(admitCustomResource(crd, 'v1', gizmo({ a: 1 }), ctxFor()).causes).to.deep.equal([{
      field: 'spec', reason: 'FieldValueInvalid',
      message: 'Invalid value: map[string]interface {}{"a":1}: no such key: b evaluating rule: a < b',
    }]);
  });

  it('root rules report the field <nil> and see metadata.name', () => {
    const crd = crdWith({
      type: 'object',
      'x-kubernetes-validations': [{ rule: 'self.metadata.name.startsWith("x")', messageExpression: '"name " + self.metadata.name + " must start with x"' }],
      properties: { spec: { type: 'object' } },
    });
    const [cause] = admitCustomResource(crd, 'v1', gizmo({}), ctxFor()).causes;
    expect(cause?.field).to.equal('<nil>');
    expect(cause?.message).to.match(/^Invalid value: map\[string\]interface \{\}\{"apiVersion":"t.example.com\/v1", .*: name g must start with x$/);
  });

  it('date-time strings are timestamps', () => {
    const crd = crdWith({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            until: { type: 'string', format: 'date-time', 'x-kubernetes-validations': [{ rule: 'self > timestamp("2020-01-01T00:00:00Z")' }] },
          },
        },
      },
    });
    expect(admitCustomResource(crd, 'v1', gizmo({ until: '2026-05-01T00:00:00Z' }), ctxFor()).causes).to.deep.equal([]);
    expect(admitCustomResource(crd, 'v1', gizmo({ until: '2019-05-01T00:00:00Z' }), ctxFor()).causes.map((c) => c.field))
      .to.deep.equal(['spec.until']);
  });
});
