import { expect } from 'chai';
import * as yaml from 'js-yaml';
import type { KubeObject } from '#shared/kube/types.ts';
import { runNimbus } from './run-cli.ts';

describe('nimbus (command line)', function () {
  it('prints the usage with --help (exit 0) and for no command (exit 2)', async () => {
    const help = await runNimbus(['--help']);
    expect(help.code).to.equal(0);
    for (const command of ['status', 'events', 'render', 'run', 'crds']) expect(help.stdout).to.match(new RegExp(`^  ${command} `, 'm'));
    expect((await runNimbus([])).code).to.equal(2);
  });

  it('rejects an unknown command or flag with the usage and exit 2', async () => {
    const command = await runNimbus(['frobnicate']);
    expect(command.code).to.equal(2);
    expect(command.stderr).to.contain('unknown command "frobnicate"').and.to.contain('Usage: nimbus <command>');
    const status = await runNimbus(['status', '--colour']);
    expect(status.code).to.equal(2);
    expect(status.stderr).to.contain("Unknown option '--colour'").and.to.contain('Usage: nimbus status');
    const events = await runNimbus(['events', '--since', '1h']);
    expect(events.code).to.equal(2);
    expect(events.stderr).to.contain('Usage: nimbus events');
  });

  it('has --help on every command', async () => {
    for (const command of ['status', 'events', 'render', 'run', 'crds']) {
      const result = await runNimbus([command, '--help']);
      expect(result.code, command).to.equal(0);
      expect(result.stdout, command).to.contain(`Usage: nimbus ${command}`);
    }
  });

  it('prints the four CRDs', async () => {
    const result = await runNimbus(['crds']);
    expect(result.code).to.equal(0);
    const names = yaml.loadAll(result.stdout).map((d) => (d as KubeObject).metadata.name);
    expect(names).to.have.members(['tenants.nimbus.dev', 'couchdbs.nimbus.dev', 'natsclusters.nimbus.dev', 'openwhisks.nimbus.dev']);
  });

  it('says how to name the NATS server when events has none, and rejects unknown operators for run', async () => {
    const env = { ...process.env };
    delete env['NATS_URL'];
    const events = await runNimbus(['events'], { env });
    expect(events.code).to.equal(1);
    expect(events.stderr).to.contain('pass --nats-url');
    const run = await runNimbus(['run', 'postgres']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('unknown operator postgres');
  });

  it('fails with exit 1 and one line when the API server cannot be reached', async () => {
    const result = await runNimbus(['status', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/^nimbus: cannot load the kubeconfig/);
  });
});
