import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { jsonOf } from '#sim/store/json.ts';
import { ObjectStore } from '#sim/store/objects.ts';

describe('sim/store: stored objects serialised once', () => {
  it('answers JSON.stringify of stored and unstored values', () => {
    const store = new ObjectStore({ historyLimit: 100, compactionMs: 60_000 });
    const obj = store.put('/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n' }, data: { k: 'v' } });
    expect(jsonOf(obj)).to.equal(JSON.stringify(obj));
    expect(jsonOf(obj)).to.equal(JSON.stringify(obj));
    const loose = { a: 1 };
    expect(jsonOf(loose)).to.equal('{"a":1}');
    loose.a = 2;
    expect(jsonOf(loose)).to.equal('{"a":2}');
  });

  it('does not change the previous object when the next one shares its metadata', () => {
    const store = new ObjectStore({ historyLimit: 100, compactionMs: 60_000 });
    const first = store.put('/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' }, spec: {} });
    const before = jsonOf(first);
    const next: KubeObject = { ...first, spec: { finalizers: [] } };
    const second = store.put('/namespaces', next);
    expect(first.metadata.resourceVersion).to.not.equal(second.metadata.resourceVersion);
    expect(jsonOf(first)).to.equal(before);
    expect(JSON.parse(jsonOf(first))).to.deep.equal(first);
  });
});
