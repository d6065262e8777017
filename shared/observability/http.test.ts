import { expect } from 'chai';
import { silentLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { startHealthServer, type HealthServer, type ReadyState } from './http.ts';

describe('observability health server', () => {
  let server: HealthServer | undefined;
  let isReady: () => boolean | ReadyState = () => false;
  const metrics = createMetrics({ defaultMetrics: false });
  const get = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${server!.port}${path}`, init);

  before(async () => {
    server = await startHealthServer({
      port: 0, host: '127.0.0.1', metrics, log: silentLogger(),
      isReady: () => isReady(),
    });
  });
  after(async () => { await server?.close(); });

  it('binds a free port for port 0', () => {
    expect(server!.port).to.be.greaterThan(0);
  });

  it('answers /healthz with 200', async () => {
    const res = await get('/healthz');
    expect(res.status).to.equal(200);
    expect(await res.text()).to.equal('ok\n');
  });

  it('answers /readyz from isReady, with a reason when not ready', async () => {
    isReady = () => false;
    let res = await get('/readyz');
    expect(res.status).to.equal(503);
    expect(await res.text()).to.equal('not ready: starting\n');
    isReady = () => ({ ready: false, reason: 'waiting for the informer caches' });
    res = await get('/readyz');
    expect(res.status).to.equal(503);
    expect(await res.text()).to.include('waiting for the informer caches');
    isReady = () => { throw new Error('cache broken'); };
    res = await get('/readyz');
    expect(res.status).to.equal(503);
    expect(await res.text()).to.include('cache broken');
    isReady = () => true;
    res = await get('/readyz?verbose=1');
    expect(res.status).to.equal(200);
  });

  it('serves /metrics in the Prometheus text format', async () => {
    metrics.reconcileDone('couchdb', 'success', 0.1);
    const res = await get('/metrics');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    expect(await res.text()).to.include('controller_runtime_reconcile_total{controller="couchdb",result="success"} 1');
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    expect((await get('/nope')).status).to.equal(404);
    expect((await get('/healthz', { method: 'POST' })).status).to.equal(405);
  });

  it('closes even with a keep-alive connection open', async () => {
    const other = await startHealthServer({ port: 0, host: '127.0.0.1', metrics, log: silentLogger(), isReady: () => true });
    await fetch(`http://127.0.0.1:${other.port}/healthz`, { keepalive: true });
    await other.close();
    let refused = false;
    await fetch(`http://127.0.0.1:${other.port}/healthz`).catch(() => { refused = true; });
    expect(refused).to.equal(true);
  });

  it('fails to start on a port in use', async () => {
    let error: unknown;
    await startHealthServer({ port: server!.port, host: '127.0.0.1', metrics, log: silentLogger(), isReady: () => true })
      .catch((e: unknown) => { error = e; });
    expect((error as NodeJS.ErrnoException).code).to.equal('EADDRINUSE');
  });
});
