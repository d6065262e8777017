import { expect } from 'chai';
import { parseApplyBody } from './index.ts';
import { FieldSet } from './field-set.ts';
import { clone } from './json-value.ts';

describe('sim/patch fast paths keep the semantics', () => {
  it('decodes a JSON apply body with JSON.parse and a YAML one with js-yaml, to the same object', () => {
    const json = parseApplyBody('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"k":"v"}}');
    const yaml = parseApplyBody('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n');
    expect(json).to.deep.equal(yaml);
    expect(parseApplyBody('{"apiVersion":"v1","kind":"ConfigMap"}').metadata).to.deep.equal({});
  });

  it('falls back to YAML for a flow mapping that is not JSON, and still rejects a non-object', () => {
    expect(parseApplyBody('{apiVersion: v1, kind: ConfigMap, metadata: {name: b}}').metadata.name).to.equal('b');
    expect(() => parseApplyBody('[1, 2]')).to.throw().with.property('name');
  });

  it('keeps paths whose elements contain separators distinct', () => {
    const set = new FieldSet([['f:a', 'f:b'], ['f:a:f', ':b'], ['3:f:a']]);
    expect(set.size).to.equal(3);
    expect(set.has(['f:a', 'f:b'])).to.equal(true);
    expect(set.has(['f:af:b'])).to.equal(false);
    expect(set.minus(new FieldSet([['f:a', 'f:b']])).size).to.equal(2);
    expect(set.union(new FieldSet([['f:a', 'f:b']])).equals(set)).to.equal(true);
  });

  it('clones JSON deeply', () => {
    const value = { a: [1, { b: 'x' }], c: null, d: { e: true } };
    const copy = clone(value);
    expect(copy).to.deep.equal(value);
    expect(copy.a).to.not.equal(value.a);
    expect(copy.d).to.not.equal(value.d);
  });
});
