import { expect } from 'chai';
import type { ControllerMetrics } from '#shared/controller/metrics.ts';
import type { BusMetricsHook } from '#shared/bus/counters.ts';
import { createMetrics } from './metrics.ts';

/** The value of one series in the exposition text, e.g. `workqueue_depth{name="x"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('observability metrics', () => {
  it('records reconciles with controller-runtime names', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.reconcileDone('couchdb', 'success', 0.02);
    metrics.reconcileDone('couchdb', 'error', 0.5);
    metrics.reconciled('couchdb', 'requeue_after', 1.5);
    const text = await metrics.text();
    expect(sample(text, 'controller_runtime_reconcile_total{controller="couchdb",result="success"}')).to.equal(1);
    expect(sample(text, 'controller_runtime_reconcile_total{controller="couchdb",result="error"}')).to.equal(1);
    expect(sample(text, 'controller_runtime_reconcile_total{controller="couchdb",result="requeue_after"}')).to.equal(1);
    expect(sample(text, 'controller_runtime_reconcile_errors_total{controller="couchdb"}')).to.equal(1);
    expect(sample(text, 'controller_runtime_reconcile_time_seconds_count{controller="couchdb"}')).to.equal(3);
    expect(sample(text, 'controller_runtime_reconcile_time_seconds_bucket{le="0.025",controller="couchdb"}')).to.equal(1);
    expect(sample(text, 'controller_runtime_reconcile_time_seconds_sum{controller="couchdb"}')).to.be.closeTo(2.02, 1e-9);
  });

  it('records work queue and event counters', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.queueAdd('couchdb');
    metrics.queueAdd('couchdb');
    metrics.queueRetry('couchdb');
    metrics.queueDepth('couchdb', 7);
    metrics.activeWorkers('couchdb', 2);
    metrics.eventPublished();
    metrics.eventReceived();
    metrics.eventReceived();
    const text = await metrics.text();
    expect(sample(text, 'workqueue_adds_total{name="couchdb"}')).to.equal(2);
    expect(sample(text, 'workqueue_retries_total{name="couchdb"}')).to.equal(1);
    expect(sample(text, 'workqueue_depth{name="couchdb"}')).to.equal(7);
    expect(sample(text, 'controller_runtime_active_workers{controller="couchdb"}')).to.equal(2);
    expect(sample(text, 'nimbus_events_published_total')).to.equal(1);
    expect(sample(text, 'nimbus_events_received_total')).to.equal(2);
  });

  it('shows a controller at zero before its first reconcile, and keeps registries apart', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics();
    a.initController('tenant');
    const text = await a.text();
    expect(sample(text, 'controller_runtime_reconcile_total{controller="tenant",result="requeue"}')).to.equal(0);
    expect(sample(text, 'workqueue_depth{name="tenant"}')).to.equal(0);
    expect(await b.text()).to.not.include('controller="tenant"');
    expect(await b.text()).to.include('process_cpu_user_seconds_total');
    expect(a.contentType).to.match(/^text\/plain/);
  });

  it('fits the controller and bus hook interfaces', () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const controller: ControllerMetrics = metrics;
    const bus: BusMetricsHook = metrics;
    expect(controller).to.equal(bus);
  });
});
