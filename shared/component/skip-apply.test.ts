import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { AppliedMemory, isSubset } from './skip-apply.ts';

const cm = (data: Record<string, string>, labels: Record<string, string> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', labels }, data });

describe('skipping no-op applies', () => {
  it('isSubset: members of desired must match; arrays element-wise with the same length', () => {
    expect(isSubset({ a: 1, b: { c: 'x' } }, { a: 1, b: { c: 'x', d: 2 }, e: 3 })).to.equal(true);
    expect(isSubset({ a: 1 }, { a: 2 })).to.equal(false);
    expect(isSubset({ a: { b: 1 } }, {})).to.equal(false);
    expect(isSubset([{ name: 'x' }], [{ name: 'x', defaulted: true }])).to.equal(true);
    expect(isSubset([{ name: 'x' }], [{ name: 'x' }, { name: 'y' }])).to.equal(false);
    expect(isSubset({ a: undefined }, {})).to.equal(true);
  });

  it('skips only what was applied before, unchanged, and is still there', () => {
    const memory = new AppliedMemory();
    const desired = cm({ k: 'v' }, { app: 'x' });
    const live = { ...cm({ k: 'v' }, { app: 'x', added: 'by-someone' }), metadata: { ...desired.metadata, resourceVersion: '7', labels: { app: 'x', added: 'y' } } };
    expect(memory.unchanged(desired, live), 'never applied').to.equal(false);
    memory.remember(desired);
    expect(memory.unchanged(desired, live)).to.equal(true);
    expect(memory.unchanged(desired, undefined), 'deleted meanwhile').to.equal(false);
    expect(memory.unchanged(desired, cm({ k: 'edited' }, { app: 'x' })), 'drift').to.equal(false);
    // A label dropped from the desired object: the apply must run (SSA removes it), although desired ⊆ live.
    expect(memory.unchanged(cm({ k: 'v' }), live)).to.equal(false);
    memory.forget(desired);
    expect(memory.unchanged(desired, live)).to.equal(false);
  });
});
