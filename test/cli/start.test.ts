/**
 * `npm start` end to end: the entry as a separate process onboards the sample tenant on the embedded API server,
 * `nimbus status` / `events` / `render` work against it, and Ctrl-C leaves no process and no temporary state behind.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { createKubeClient, type ClosableKubeClient } from '#shared/kube/index.ts';
import type { Tenant } from '#operators/main/types.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { repoRoot, runNimbus } from './run-cli.ts';
import { alive, startEntry, type StartedProcess } from './start-process.ts';

const run = promisify(execFile);

describe('npm start (cli/start.ts) with no cluster', function () {
  this.timeout(180_000);
  let started: StartedProcess;
  let kube: ClosableKubeClient | undefined;
  let kubeconfig: string;
  let natsUrl: string;

  before(async () => {
    started = startEntry(['--kubelet-delay-ms', '50']);
    kubeconfig = await started.kubeconfigPath();
    natsUrl = (await waitFor(() => /nats-server (nats:\/\/\S+)/.exec(started.output())?.[1], { timeoutMs: 60_000 }));
  });
  after(() => {
    kube?.close();
    started.kill();
  });

  it('onboards the sample tenant acme to Ready, seen through the printed kubeconfig', async () => {
    kube = createKubeClient({ kubeconfigPath: kubeconfig, fieldManager: 'cli-test' });
    const client = kube;
    const tenant = await waitFor(async () => {
      const t = await client.tryGet<Tenant>({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'Tenant', name: 'acme' });
      return t?.status?.phase === 'Ready' ? t : undefined;
    }, { timeoutMs: 120_000, intervalMs: 200, message: `tenant acme Ready; output so far:\n${started.output()}` });
    expect(tenant.status?.steps?.map((s) => s.state)).to.deep.equal(['Ready', 'Ready', 'Ready', 'Ready', 'Ready']);
    // Plain output (not a terminal): one line per change, then the look-around hints.
    await waitFor(() => started.output().includes('Look around:'), { timeoutMs: 10_000 });
    expect(started.output()).to.match(/tenant acme: Ready 5\/5/);
    expect(started.output()).to.contain(`kubectl --kubeconfig ${kubeconfig} get tenants`);
    expect(started.output()).to.contain(`--nats-url ${natsUrl}`);
    const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'tenants']);
    expect(stdout).to.match(/^acme\s+Ready\s+5\/5\s+tenant-acme/m);
  });

  it('nimbus status lists the tenant, and shows one tenant with steps, endpoints, conditions and Events', async () => {
    const list = await runNimbus(['status', '--kubeconfig', kubeconfig]);
    expect(list.code, list.stderr).to.equal(0);
    expect(list.stdout).to.match(/^NAME\s+PHASE\s+STEPS\s+NAMESPACE\s+AGE$/m).and.to.match(/^acme\s+Ready\s+5\/5\s+tenant-acme\s+\d+s$/m);
    const one = await runNimbus(['status', 'acme', '--kubeconfig', kubeconfig]);
    expect(one.code, one.stderr).to.equal(0);
    for (const step of ['namespace', 'couchdb', 'nats', 'openwhisk', 'credentials']) {
      expect(one.stdout).to.match(new RegExp(`^  ${step}\\s+Ready\\s+\\+\\d`, 'm'));
    }
    expect(one.stdout).to.match(/^ {2}couchdb: http:\/\/acme-couchdb\.tenant-acme\.svc:5984$/m);
    expect(one.stdout).to.contain('Credentials: Secret tenant-acme/acme-env');
    expect(one.stdout).to.match(/^ {2}Ready\s+True\s+/m);
    expect(one.stdout).to.match(/^ {2}\S+\s+Normal\s+TenantReady\s+tenant\/acme/m);
    const json = await runNimbus(['status', 'acme', '--json', '--kubeconfig', kubeconfig]);
    expect((JSON.parse(json.stdout) as Tenant).status?.phase).to.equal('Ready');
  });

  it('nimbus status fails clearly for an unknown tenant (exit 1) or a bad flag (exit 2)', async () => {
    const missing = await runNimbus(['status', 'nosuch', '--kubeconfig', kubeconfig]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.equal('nimbus: tenant "nosuch" not found\n');
    const flag = await runNimbus(['status', '--kubeconfig', kubeconfig, '--watch']);
    expect(flag.code).to.equal(2);
    expect(flag.stderr).to.contain("Unknown option '--watch'");
  });

  it('nimbus events --json prints the stored CloudEvents, one JSON object per line, and exits', async () => {
    const result = await runNimbus(['events', '--json', '--nats-url', natsUrl]);
    expect(result.code, result.stderr).to.equal(0);
    const events = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; specversion: string; data: { tenant?: string } });
    expect(events.every((e) => e.specversion === '1.0')).to.equal(true);
    const types = events.map((e) => e.type);
    for (const type of ['dev.nimbus.couchdb.ready', 'dev.nimbus.natscluster.ready', 'dev.nimbus.openwhisk.ready', 'dev.nimbus.tenant.ready']) {
      expect(types).to.include(type);
    }
    const readable = await runNimbus(['events', '--tenant', 'acme', '--nats-url', natsUrl]);
    expect(readable.code, readable.stderr).to.equal(0);
    expect(readable.stdout).to.match(/^\d\d:\d\d:\d\d\.\d{3} {2}dev\.nimbus\.couchdb\.ready {2}tenant-acme\/acme {2}ready {2}Ready {2}CouchDB is ready/m);
    const other = await runNimbus(['events', '--tenant', 'nobody', '--nats-url', natsUrl]);
    expect(other.stdout).to.equal('');
    const down = await runNimbus(['events', '--nats-url', 'nats://127.0.0.1:1']);
    expect(down.code).to.equal(1);
    expect(down.stderr).to.match(/^nimbus: cannot connect to NATS at nats:\/\/127\.0\.0\.1:1/);
  });

  it('nimbus events --follow keeps reading until Ctrl-C, then exits 0', async () => {
    const follower = spawn(process.execPath, ['cli/nimbus.js', 'events', '--follow', '--tenant', 'acme', '--nats-url', natsUrl], {
      cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    follower.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
    const exited = new Promise<number | null>((resolve) => follower.once('exit', (code) => resolve(code)));
    try {
      await waitFor(() => output.includes('dev.nimbus.tenant.ready'), { timeoutMs: 30_000, message: 'the stored events' });
      // Still running after the backlog: it follows.
      expect(follower.exitCode).to.equal(null);
      follower.kill('SIGINT');
      expect(await exited).to.equal(0);
    } finally {
      if (follower.exitCode === null) follower.kill('SIGKILL');
    }
  });

  it('nimbus render works beside the running system, and rejects bad input', async () => {
    const ok = await runNimbus(['render', 'manifests/samples/couchdb.yaml']);
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.match(/^kind: StatefulSet$/m);
    const missing = await runNimbus(['render', 'manifests/samples/nope.yaml']);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain('cannot read manifests/samples/nope.yaml: no such file');
  });

  it('stops on SIGINT with exit 0: nats-server gone, kubeconfig and state directories removed', async () => {
    const natsPid = await started.natsPid();
    const stateDir = await started.stateDir();
    expect(alive(natsPid)).to.equal(true);
    expect(existsSync(kubeconfig)).to.equal(true);
    const children = (await run('ps', ['-o', 'pid=', '--ppid', String(started.child.pid)])).stdout.trim().split(/\s+/).map(Number);
    expect(children).to.include(natsPid);
    started.child.kill('SIGINT');
    const code = await Promise.race([started.exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 30_000))]);
    expect(code, started.output()).to.equal(0);
    expect(alive(natsPid)).to.equal(false);
    expect(children.filter(alive), 'child processes still alive').to.deep.equal([]);
    expect(existsSync(dirname(kubeconfig))).to.equal(false);
    expect(existsSync(stateDir)).to.equal(false);
    expect(started.output()).to.contain('nimbus: stopped; temporary state removed');
  });
});
