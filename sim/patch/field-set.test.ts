import { expect } from 'chai';
import { FieldSet, fieldSetOf, fromFieldsV1, pathString, removeAt, toFieldsV1, valueAt } from './field-set.ts';

const pod = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'p', uid: 'u', labels: { app: 'web' }, finalizers: ['a/b'] },
  spec: { containers: [{ name: 'app', image: 'i', args: ['x'], ports: [{ containerPort: 80 }] }], tolerations: [{ key: 't' }] },
};

describe('field sets', () => {
  it('lists the owned paths in fieldsV1 notation (server metadata excluded)', () => {
    expect(toFieldsV1(fieldSetOf(pod, ''))).to.deep.equal({
      'f:metadata': { 'f:labels': { 'f:app': {} }, 'f:finalizers': { 'v:"a/b"': {} } },
      'f:spec': {
        'f:containers': { 'k:{"name":"app"}': {
          '.': {}, 'f:name': {}, 'f:image': {}, 'f:args': {}, 'f:ports': { 'k:{"containerPort":80}': { '.': {}, 'f:containerPort': {} } },
        } },
        'f:tolerations': {},
      },
    });
  });

  it('round-trips through fieldsV1 and supports set algebra', () => {
    const set = fieldSetOf(pod, '');
    expect(fromFieldsV1(toFieldsV1(set)).equals(set)).to.equal(true);
    const labels = new FieldSet([['f:metadata', 'f:labels', 'f:app']]);
    expect(set.minus(labels).size).to.equal(set.size - 1);
    expect(set.intersect(labels).paths()).to.deep.equal([['f:metadata', 'f:labels', 'f:app']]);
    expect(set.hasBelow(['f:spec', 'f:containers', 'k:{"name":"app"}'])).to.equal(true);
  });

  it('prints paths like structured-merge-diff and reads/removes values by path', () => {
    const image = ['f:spec', 'f:containers', 'k:{"name":"app"}', 'f:image'];
    expect(pathString(image)).to.equal('.spec.containers[name="app"].image');
    expect(pathString(['f:metadata', 'f:finalizers', 'v:"a/b"'])).to.equal('.metadata.finalizers[="a/b"]');
    expect(valueAt(pod, image)).to.deep.equal({ found: true, value: 'i' });
    expect(valueAt(pod, ['f:spec', 'f:nothing']).found).to.equal(false);
    const copy = structuredClone(pod);
    removeAt(copy, ['f:spec', 'f:containers', 'k:{"name":"app"}']);
    removeAt(copy, ['f:metadata', 'f:finalizers', 'v:"a/b"']);
    expect(copy.spec.containers).to.deep.equal([]);
    expect(copy.metadata.finalizers).to.deep.equal([]);
  });

  it('a status subresource write only counts status', () => {
    expect(toFieldsV1(fieldSetOf({ ...pod, status: { phase: 'Running' } }, 'status'))).to.deep.equal({ 'f:status': { 'f:phase': {} } });
  });
});
