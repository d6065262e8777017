import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { MapCache } from './cache.ts';

const cm = (namespace: string | undefined, name: string, rv: string, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1', kind: 'ConfigMap',
  metadata: { name, resourceVersion: rv, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) },
  data: { k: `${name} with spaces` },
});

describe('MapCache', () => {
  it('hands out fresh copies and the resourceVersion without parsing', () => {
    const cache = new MapCache();
    cache.set(cm('a', 'x', '7'));
    const copy = cache.get('a/x');
    expect(copy).to.deep.equal(cm('a', 'x', '7'));
    (copy?.['data'] as Record<string, string>)['k'] = 'mutated';
    expect(cache.get('a/x')?.['data']).to.deep.equal({ k: 'x with spaces' });
    expect(cache.resourceVersionOf('a/x')).to.equal('7');
    expect(cache.resourceVersionOf('a/y')).to.equal(undefined);
    cache.set({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'no-rv' } });
    expect(cache.resourceVersionOf('no-rv')).to.equal(undefined);
    expect(cache.get('no-rv')?.metadata.name).to.equal('no-rv');
  });

  it('lists by namespace and label selector; counts replaced objects once', () => {
    const cache = new MapCache();
    cache.set(cm('a', 'x', '1', { app: 'x' }));
    cache.set(cm('a', 'y', '2'));
    cache.set(cm('b', 'x', '3', { app: 'x' }));
    cache.set(cm(undefined, 'cluster', '4', { app: 'x' }));
    cache.set(cm('a', 'x', '5', { app: 'x' }));
    expect(cache.size).to.equal(4);
    expect(cache.list({ namespace: 'a' }).map((o) => o.metadata.name).sort()).to.deep.equal(['x', 'y']);
    expect(cache.list({ namespace: 'a', labelSelector: 'app=x' }).map((o) => o.metadata.resourceVersion)).to.deep.equal(['5']);
    expect(cache.list({ labelSelector: 'app=x' }).map((o) => o.metadata.resourceVersion).sort()).to.deep.equal(['3', '4', '5']);
    expect(cache.list({ namespace: 'none' })).to.deep.equal([]);
    expect(cache.keys().sort()).to.deep.equal(['a/x', 'a/y', 'b/x', 'cluster']);
    expect(cache.has('cluster')).to.equal(true);
  });

  it('keeps nothing of a deleted namespace\'s objects', () => {
    const cache = new MapCache();
    for (let i = 0; i < 50; i++) cache.set(cm(`tenant-${i}`, 'x', String(i)));
    for (let i = 0; i < 50; i++) cache.delete(`tenant-${i}/x`);
    cache.delete('tenant-0/x');
    expect(cache.size).to.equal(0);
    expect(cache.keys()).to.deep.equal([]);
    // The per-namespace maps go with their last object.
    expect((cache as unknown as { namespaces: Map<string, unknown> }).namespaces.size).to.equal(0);
  });
});
