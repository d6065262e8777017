import { expect } from 'chai';
import { percentile, summarize, mapLimit } from './stats.ts';
import { metricSum } from './processes.ts';
import { requestClass } from './request-trace.ts';
import { parseArgs, UsageError } from './args.ts';
import { cpuSeconds, memoryKiB } from './proc.ts';

describe('benchmark helpers', () => {
  it('percentiles are nearest-rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).to.equal(50);
    expect(percentile(sorted, 99)).to.equal(99);
    expect(percentile([], 50)).to.equal(null);
    expect(summarize([3, 1, 2])).to.include({ count: 3, p50: 2, max: 3, mean: 2 });
  });

  it('mapLimit keeps at most `limit` in flight and the order of results', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([1, 2, 3, 4, 5, 6], 2, async (n) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return n * 10;
    });
    expect(out).to.deep.equal([10, 20, 30, 40, 50, 60]);
    expect(most).to.equal(2);
  });

  it('sums a metric over its labels, ignoring metrics with the same prefix', () => {
    const text = 'x_total{a="1"} 2\nx_total{a="2"} 3\nx_total_other 100\n# HELP x_total y\nx_total 1\n';
    expect(metricSum(text, 'x_total')).to.equal(6);
  });

  it('classifies requests by verb and resource', () => {
    expect(requestClass('GET', '/apis/nimbus.dev/v1alpha1/namespaces/t/couchdbs/a')).to.equal('GET couchdbs');
    expect(requestClass('PATCH', '/apis/nimbus.dev/v1alpha1/namespaces/t/couchdbs/a/status')).to.equal('PATCH couchdbs/status');
    expect(requestClass('GET', '/api/v1/secrets?watch=true')).to.equal('WATCH secrets');
    expect(requestClass('GET', '/api/v1/namespaces/t/secrets')).to.equal('LIST secrets');
  });

  it('parses flags and refuses unknown ones', () => {
    expect(parseArgs(['--tenants', '1,100', '--both', '--kubelet-delay-ms', '0,500'])).to.include({ concurrency: 4 });
    expect(parseArgs(['--no-nats']).busModes).to.deep.equal(['no-nats']);
    expect(() => parseArgs(['--nope'])).to.throw(UsageError);
  });

  it('reads CPU time and memory of a process from /proc', () => {
    expect(cpuSeconds(process.pid)).to.be.a('number').and.to.be.greaterThan(0);
    expect(memoryKiB(process.pid)?.rss).to.be.greaterThan(10_000);
    expect(cpuSeconds(2 ** 22 + 12345)).to.equal(undefined);
  });
});
