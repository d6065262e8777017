import { expect } from 'chai';
import type { StepStatus, Tenant } from '#operators/main/types.ts';
import { createLiveView } from '../../cli/live-view.ts';
import { liveTable } from '../../cli/live-table.ts';
import { tenantTable } from '../../cli/commands/status.ts';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const at = (ms: number): string => new Date(t0 + ms).toISOString();

function tenant(phase: string, steps: StepStatus[], summary?: string): Tenant {
  return {
    apiVersion: 'nimbus.dev/v1alpha1', kind: 'Tenant',
    metadata: { name: 'acme', creationTimestamp: at(0) },
    status: {
      phase: phase as 'Ready', namespace: 'tenant-acme', steps,
      ...(summary ? { stepsSummary: summary } : {}),
    },
  };
}

const provisioning = tenant('Provisioning', [
  { name: 'namespace', state: 'Ready', startedAt: at(0), readyAt: at(100) },
  { name: 'couchdb', state: 'Running', startedAt: at(100), message: 'waiting for the StatefulSet' },
  { name: 'nats', state: 'Pending' },
], '1/5');
const ready = tenant('Ready', [
  { name: 'namespace', state: 'Ready', startedAt: at(0), readyAt: at(100) },
  { name: 'couchdb', state: 'Ready', startedAt: at(100), readyAt: at(1600) },
  { name: 'nats', state: 'Ready', startedAt: at(100), readyAt: at(900) },
], '3/3');

/** Collects what a view writes. */
function sink(): { out: { write(text: string): boolean; columns: number }; text(): string } {
  const chunks: string[] = [];
  return { out: { write: (text: string) => chunks.push(text) > 0, columns: 100 }, text: () => chunks.join('') };
}

describe('live onboarding view', function () {
  it('renders a step table with states and durations (ready: start → ready; running: start → now)', () => {
    const lines = liveTable([provisioning], 120, t0 + 2100);
    expect(lines[0]).to.match(/^Tenant acme\s+Provisioning\s+1\/5\s+namespace tenant-acme$/);
    expect(lines[1]).to.match(/STEP\s+STATE\s+TIME\s+MESSAGE/);
    expect(lines.find((l) => l.includes('namespace ') && l.includes('Ready'))).to.match(/0\.1s/);
    expect(lines.find((l) => l.includes('couchdb'))).to.match(/Running\s+2\.0s\s+waiting for the StatefulSet/);
    expect(liveTable([ready], 120)[0]).to.contain('Ready   3/3').and.to.contain('onboarded in 1.6s');
  });

  it('cuts lines to the terminal width so nothing wraps', () => {
    const long = tenant('Provisioning', [{ name: 'couchdb', state: 'Failed', startedAt: at(0), message: 'x'.repeat(300) }]);
    for (const line of liveTable([long], 60)) expect(line.length).to.be.at.most(59);
  });

  it('prints one plain line per change when not on a terminal', () => {
    const s = sink();
    const view = createLiveView({ out: s.out, tty: false });
    view.update(provisioning);
    view.update(provisioning);
    view.update(ready);
    view.stop();
    const lines = s.text().trimEnd().split('\n');
    expect(lines.some((l) => /tenant acme: Provisioning 1\/5$/.test(l))).to.equal(true);
    expect(lines.some((l) => /tenant acme: step couchdb Running \(waiting for the StatefulSet\)$/.test(l))).to.equal(true);
    expect(lines.some((l) => /tenant acme: Ready 3\/3$/.test(l))).to.equal(true);
    expect(lines.some((l) => /tenant acme: step couchdb Ready$/.test(l))).to.equal(true);
    // The repeated update changed nothing, so it printed nothing; no cursor control in plain mode.
    expect(lines.filter((l) => l.includes('step namespace Ready'))).to.have.length(1);
    expect(s.text()).not.to.contain('\x1b[');
  });

  it('redraws the table in place on a terminal, keeping printed messages above it', () => {
    const s = sink();
    const view = createLiveView({ out: s.out, tty: true });
    view.update(provisioning);
    const firstDraw = liveTable([provisioning], 100).length;
    view.print('hello');
    view.update(ready);
    view.stop();
    // The second draw moves the cursor up over the first table (CSI n F) and clears below it (CSI J).
    expect(s.text()).to.contain(`\x1b[${firstDraw}F\x1b[Jhello\n`);
    expect(s.text().endsWith(`${liveTable([ready], 100).join('\n')}\n`)).to.equal(true);
  });

  it('lists tenants as NAME PHASE STEPS NAMESPACE AGE', () => {
    const lines = tenantTable([ready], t0 + 90_000);
    expect(lines[0]).to.match(/^NAME\s+PHASE\s+STEPS\s+NAMESPACE\s+AGE$/);
    expect(lines[1]).to.match(/^acme\s+Ready\s+3\/3\s+tenant-acme\s+90s$/);
    expect(tenantTable([])).to.deep.equal(['No tenants.']);
  });
});
