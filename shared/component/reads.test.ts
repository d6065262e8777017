import { expect } from 'chai';
import { startApiServer } from '#sim/index.ts';
import type { ApiServer } from '#sim/index.ts';
import { createKubeClient } from '#shared/kube/client.ts';
import type { ClosableKubeClient } from '#shared/kube/client.ts';
import type { KubeClient, KubeObject } from '#shared/kube/types.ts';
import { cachedReads } from '#shared/controller/cached-client.ts';
import { MapCache } from '#shared/watch/cache.ts';
import { readOwnChild, readReferenced } from './reads.ts';

const ns = 'reads';
const secret = (name: string, value: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, stringData: { value } });
const ref = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name });
const valueOf = (object: KubeObject | undefined): string | undefined => {
  const data = object?.['data'] as Record<string, string> | undefined;
  return data?.['value'] === undefined ? undefined : Buffer.from(data['value'], 'base64').toString();
};

describe('component reads from the caches of watched kinds (against the sim)', () => {
  let sim: ApiServer;
  let kube: ClosableKubeClient;
  /** The controller's client: no cache serves get/tryGet; a Secret cache answers `peekCache` (a mapped watch). */
  let cached: KubeClient;

  before(async () => {
    sim = await startApiServer({ quiet: true, kubelet: false });
    kube = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'nimbus-reads' });
    await kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    // On the server: both Secrets. In the cache: only `known`, with a value the server does not have (a cache that
    // lags a change), so each answer shows where it came from.
    await kube.create(secret('known', 'server'));
    await kube.create(secret('unknown', 'server'));
    const stored = await kube.get(ref('known'));
    const cache = new MapCache();
    cache.set({ ...stored, data: { value: Buffer.from('cache').toString('base64') } });
    cached = cachedReads(kube, () => undefined, (kind) => (kind.kind === 'Secret' ? cache : undefined));
  });

  after(async () => {
    kube.close();
    await sim.stop();
  });

  it('readOwnChild: the cache answers, absent included; without a cache the server does', async () => {
    expect(valueOf(await readOwnChild(cached, ref('known')))).to.equal('cache');
    expect(await readOwnChild(cached, ref('unknown'))).to.equal(undefined);
    expect(valueOf(await readOwnChild(kube, ref('unknown')))).to.equal('server');
  });

  it('readReferenced: the cached copy when usable, else the server (a miss, or a copy not usable yet)', async () => {
    expect(valueOf(await readReferenced(cached, ref('known')))).to.equal('cache');
    expect(valueOf(await readReferenced(cached, ref('unknown')))).to.equal('server');
    expect(valueOf(await readReferenced(cached, ref('known'), (s) => valueOf(s) === 'server'))).to.equal('server');
    expect(await readReferenced(cached, ref('missing'))).to.equal(undefined);
  });
});
