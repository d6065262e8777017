import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { crInputs, DesiredMemo } from './desired-memo.ts';
import type { DesiredChildren } from './types.ts';

const children = (name: string): DesiredChildren => ({ apply: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }] });

describe('desired children memo', () => {
  it('reuses the children while the inputs are equal, computes again when they change or the CR is gone', () => {
    const memo = new DesiredMemo();
    let calls = 0;
    const compute = (name: string) => () => { calls++; return children(name); };
    const first = memo.get('ns/a', { spec: 1 }, compute('one'));
    expect(memo.get('ns/a', { spec: 1 }, compute('two'))).to.equal(first);
    expect(calls).to.equal(1);
    expect(memo.get('ns/a', { spec: 2 }, compute('three')).apply[0]?.metadata.name).to.equal('three');
    expect(memo.get('ns/b', { spec: 2 }, compute('four')).apply[0]?.metadata.name, 'per CR').to.equal('four');
    memo.forget('ns/a');
    expect(memo.get('ns/a', { spec: 2 }, compute('five')).apply[0]?.metadata.name).to.equal('five');
    expect(calls).to.equal(4);
    expect([memo.hits, memo.misses]).to.deep.equal([1, 4]);
  });

  it('drops a settled CR once settledTtlMs passed, unless it was reconciled with other inputs meanwhile', () => {
    const memo = new DesiredMemo(10, 10_000);
    const first = memo.get('a', 1, () => children('a'), 0);
    memo.get('b', 1, () => children('b'), 0);
    memo.settled('a', 1000);
    memo.settled('b', 1000);
    expect(memo.get('a', 1, () => children('a2'), 5000), 'settled, within the TTL').to.equal(first);
    memo.get('b', 2, () => children('b2'), 5000);
    memo.get('c', 1, () => children('c'), 20_000);
    expect(memo.size, 'a (a hit makes it active again) and b (other inputs) stay, with c').to.equal(3);
    memo.settled('a', 20_000);
    memo.get('c', 1, () => children('c'), 40_000);
    expect(memo.size).to.equal(2);
    expect(memo.get('a', 1, () => children('a3'), 40_000).apply[0]?.metadata.name).to.equal('a3');
  });

  it('keeps the most recently used CRs only', () => {
    const memo = new DesiredMemo(2);
    memo.get('a', 1, () => children('a'));
    memo.get('b', 1, () => children('b'));
    memo.get('a', 1, () => children('a2'));
    memo.get('c', 1, () => children('c'));
    expect(memo.size).to.equal(2);
    expect(memo.get('a', 1, () => children('a3')).apply[0]?.metadata.name, 'a was used last: kept').to.equal('a');
    expect(memo.get('b', 1, () => children('b2')).apply[0]?.metadata.name, 'b went first').to.equal('b2');
  });

  it('crInputs leaves out status, resourceVersion and managedFields', () => {
    const cr: KubeObject = {
      apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a', uid: 'u', resourceVersion: '5', managedFields: [], labels: { t: 'a' } },
      spec: { n: 1 }, status: { phase: 'Ready' },
    };
    expect(crInputs(cr)).to.deep.equal({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a', uid: 'u', labels: { t: 'a' } }, spec: { n: 1 } });
  });
});
