/**
 * With a cluster: `nimbus run <operator…>` and `npm start` with KUBECONFIG run only the operators against it (here an
 * embedded API server started by the test plays the cluster), start no API server of their own, and stop with exit 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { startApiServer, type ApiServer } from '#sim/index.ts';
import { createKubeClient, type ClosableKubeClient } from '#shared/kube/index.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { repoRoot } from './run-cli.ts';

interface Proc { child: ChildProcess; output(): string; exited: Promise<number | string> }

function launch(args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => { output += c.toString('utf8'); });
  child.stderr?.on('data', (c: Buffer) => { output += c.toString('utf8'); });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, output: () => output, exited };
}

async function interrupt(proc: Proc): Promise<number | string> {
  proc.child.kill('SIGINT');
  return Promise.race([proc.exited, new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), 30_000))]);
}

describe('operators against a cluster (nimbus run, npm start with KUBECONFIG)', function () {
  this.timeout(120_000);
  let sim: ApiServer;
  let kube: ClosableKubeClient;
  const procs: Proc[] = [];

  before(async () => {
    sim = await startApiServer({ crdDir: fileURLToPath(new URL('../../manifests/crds', import.meta.url)), quiet: true, kubeletDelayMs: 20 });
    kube = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'cli-test' });
  });
  after(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    kube.close();
    await sim.stop();
  });

  it('nimbus run couchdb reconciles a CouchDB to Ready and stops on SIGINT with exit 0', async () => {
    const env = { ...process.env };
    delete env['NATS_URL'];
    const proc = launch(['cli/nimbus.js', 'run', 'couchdb', '--kubeconfig', sim.kubeconfigPath], { ...env, HTTP_PORT: '0' });
    procs.push(proc);
    await waitFor(() => proc.output().includes('running against'), { timeoutMs: 60_000, message: 'the operator to start' });
    expect(proc.output()).to.contain(`nimbus: operators couchdb running against ${sim.kubeconfigPath} (events off`);
    const [couchdb] = yaml.loadAll(readFileSync('manifests/samples/couchdb.yaml', 'utf8')) as KubeObject[];
    await kube.apply(couchdb!);
    await waitFor(async () => {
      const cr = await kube.get({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', namespace: 'default', name: 'demo' });
      return (cr['status'] as { phase?: string } | undefined)?.phase === 'Ready';
    }, { timeoutMs: 60_000, intervalMs: 200, message: 'CouchDB demo Ready' });
    expect(await interrupt(proc), proc.output()).to.equal(0);
    expect(proc.output()).to.contain('nimbus: stopped');
  });

  it('npm start with KUBECONFIG runs only the named operators, with no embedded server or nats-server', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: sim.kubeconfigPath };
    delete env['NATS_URL'];
    const proc = launch(['--import', 'tsx', 'cli/start.ts', 'nats'], env);
    procs.push(proc);
    await waitFor(() => proc.output().includes('running against'), { timeoutMs: 60_000, message: 'the operator to start' });
    expect(proc.output()).to.contain('nimbus: operators nats running against');
    expect(proc.output()).not.to.contain('embedded API server');
    expect(proc.output()).not.to.contain('nats-server');
    expect(await interrupt(proc), proc.output()).to.equal(0);
  });

  it('rejects an unknown operator name with the usage (exit 2)', async () => {
    const proc = launch(['--import', 'tsx', 'cli/start.ts', 'postgres'], { ...process.env, KUBECONFIG: sim.kubeconfigPath });
    procs.push(proc);
    expect(await proc.exited).to.equal(2);
    expect(proc.output()).to.contain('unknown operator postgres').and.to.contain('Usage: npm start');
  });
});
