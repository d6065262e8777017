import { expect } from 'chai';
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startApiServer } from '#sim/index.ts';
import type { ApiServer } from '#sim/index.ts';
import { createKubeClient } from './client.ts';
import type { ClosableKubeClient } from './client.ts';
import {
  AlreadyExistsError, ConflictError, ForbiddenError, InvalidError, KubeUnavailableError, NotFoundError,
} from './errors.ts';
import type { KubeObject, WatchEvent } from './types.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';

const cm = (name: string, data: Record<string, string> = { a: '1' }): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });
const cmRef = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: 'default' });

describe('kube client (real client-node against the sim)', () => {
  let sim: ApiServer;
  let kube: ClosableKubeClient;

  before(async () => {
    sim = await startApiServer({ quiet: true });
    kube = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'nimbus-test' });
  });
  after(async () => {
    kube.close();
    await sim.stop();
  });
  afterEach(() => sim.faults.reset());

  it('creates, gets, lists, applies, patches and deletes', async () => {
    const created = await kube.create(cm('one'));
    expect(created.metadata.uid).to.be.a('string');
    expect((await kube.get(cmRef('one')))['data']).to.deep.equal({ a: '1' });
    const applied = await kube.apply(cm('one', { a: '2', b: '3' }));
    expect(applied['data']).to.deep.equal({ a: '2', b: '3' });
    const patched = await kube.patch(cmRef('one'), { data: { c: '4' } }, 'merge');
    expect(patched['data']).to.deep.include({ c: '4' });
    const list = await kube.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' });
    expect(list.items.map((i) => i.metadata.name)).to.include('one');
    expect(list.items[0]?.kind).to.equal('ConfigMap');
    expect(list.resourceVersion).to.match(/^\d+$/);
    await kube.delete(cmRef('one'));
    await kube.delete(cmRef('one'));
    expect(await kube.tryGet(cmRef('one'))).to.equal(undefined);
  });

  it('maps API errors onto typed errors', async () => {
    await kube.create(cm('two'));
    const created = await kube.create(cm('two')).catch((e: unknown) => e);
    expect(created).to.be.instanceOf(AlreadyExistsError);
    const stale = await kube.patch(cmRef('two'), { metadata: { resourceVersion: '1' }, data: { x: 'y' } }, 'merge').catch((e: unknown) => e);
    expect(stale).to.be.instanceOf(ConflictError);
    const invalid = await kube.create(cm('Bad_Name')).catch((e: unknown) => e);
    expect(invalid).to.be.instanceOf(InvalidError);
    expect(await kube.get(cmRef('nope')).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
    const unknownKind = await kube.get({ apiVersion: 'v1', kind: 'Nope', name: 'x' }).catch((e: unknown) => e);
    expect(unknownKind).to.be.instanceOf(NotFoundError);
  });

  it('maps 429 and 5xx onto KubeUnavailableError with retryAfterMs', async () => {
    sim.faults.failNext({ method: 'GET', pathPrefix: '/api/v1/namespaces/default/configmaps', count: 1, code: 429, retryAfterSeconds: 3 });
    const throttled = await kube.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' }).catch((e: unknown) => e);
    expect(throttled).to.be.instanceOf(KubeUnavailableError);
    expect((throttled as KubeUnavailableError).retryAfterMs).to.equal(3000);
    expect((throttled as KubeUnavailableError).code).to.equal(429);
    sim.faults.failNext({ pathPrefix: '/api/v1/namespaces/default/configmaps', count: 1, code: 503 });
    const down = await kube.get(cmRef('two')).catch((e: unknown) => e);
    expect(down).to.be.instanceOf(KubeUnavailableError);
    expect((down as KubeUnavailableError).code).to.equal(503);
  });

  it('reports a refused connection as KubeUnavailableError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-test-'));
    try {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      writeFileSync(join(dir, 'kubeconfig'), kubeconfigFor(`http://127.0.0.1:${port}`));
      const dead = createKubeClient({ kubeconfigPath: join(dir, 'kubeconfig'), fieldManager: 'x' });
      expect(await dead.get(cmRef('x')).catch((e: unknown) => e)).to.be.instanceOf(KubeUnavailableError);
      dead.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('patches the status subresource', async () => {
    const deployment = await kube.create({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', namespace: 'default' };
    const patched = await kube.patch(ref, { status: { observedGeneration: 42 } }, 'merge', { subresource: 'status' });
    expect((patched['status'] as { observedGeneration?: number }).observedGeneration).to.equal(42);
    expect(deployment.metadata.name).to.equal('d');
  });

  it('streams a watch and ends it on abort', async () => {
    const events: WatchEvent[] = [];
    const list = await kube.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' });
    const handle = await kube.watch({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' },
      { resourceVersion: list.resourceVersion, allowWatchBookmarks: true }, (event) => events.push(event));
    await kube.create(cm('watched'));
    await waitFor(() => events.some((e) => e.type === 'ADDED' && e.object.metadata.name === 'watched'), { timeoutMs: 5000 });
    handle.abort();
    await handle.done;
  });

  it('reuses connections (keep-alive)', async () => {
    const proxy = await countingProxy(new URL(sim.url).port);
    const dir = mkdtempSync(join(tmpdir(), 'kube-test-'));
    try {
      writeFileSync(join(dir, 'kubeconfig'), kubeconfigFor(`http://127.0.0.1:${proxy.port}`));
      const client = createKubeClient({ kubeconfigPath: join(dir, 'kubeconfig'), fieldManager: 'x' });
      for (let i = 0; i < 30; i++) await client.tryGet(cmRef('two'));
      expect(proxy.connections()).to.be.at.most(2);
      client.close();
    } finally {
      proxy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kube client with a bearer token against an authorizing sim', () => {
  let sim: ApiServer;
  before(async () => {
    sim = await startApiServer({
      quiet: true,
      authorizer: (req) => (req.headers.authorization === 'Bearer sa-token' ? undefined : {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403,
        message: 'configmaps is forbidden: User "system:anonymous" cannot list resource "configmaps"',
      }),
    });
  });
  after(() => sim.stop());

  it('sends the token instead of the kubeconfig credentials, also on watches', async () => {
    const anonymous = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'x' });
    const forbidden = await anonymous.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' }).catch((e: unknown) => e);
    expect(forbidden).to.be.instanceOf(ForbiddenError);
    anonymous.close();
    const sa = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'x', bearerToken: 'sa-token' });
    const events: WatchEvent[] = [];
    const handle = await sa.watch({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' }, {}, (e) => events.push(e));
    await sa.create(cm('by-token'));
    await waitFor(() => events.some((e) => e.object.metadata.name === 'by-token'), { timeoutMs: 5000 });
    handle.abort();
    sa.close();
  });
});

function kubeconfigFor(server: string): string {
  return `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n`;
}

/** A TCP proxy that counts the connections made through it. */
async function countingProxy(targetPort: string): Promise<{ port: number; connections(): number; close(): void }> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    count++;
    const upstream = net.connect(Number(targetPort), '127.0.0.1');
    sockets.add(socket); sockets.add(upstream);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: () => { for (const s of sockets) s.destroy(); server.close(); },
  };
}
