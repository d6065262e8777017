/**
 * The image's start command works outside the container: a folder laid out like the image's /app (package.json,
 * production-only node_modules, dist/<operator>/main.js with its templates next to it) runs the CouchDB operator
 * with plain `node <operatorNodeFlags> dist/couchdb/main.js` — no tsx, no TypeScript — against the embedded API
 * server. It serves /healthz and /readyz, renders its children from the copied templates, and exits 0 on SIGTERM.
 * The second run uses the operator's own ServiceAccount and the RBAC of manifests/operators/couchdb, with leader
 * election on, as the Deployment runs it.
 */
import { operatorNodeFlags } from '../../scripts/node-flags.ts';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { dump } from 'js-yaml';
import { mintToken } from '#sim/auth/index.ts';
import { startApiServer, type ApiServer } from '#sim/index.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { operatorNames, type BuiltOperator } from '../../scripts/build.ts';
import { keptByDockerignore } from './support/dockerfile.ts';
import { assembleImageLayout, hasPackage } from './support/image-layout.ts';
import { freePort, start, within, type Started } from './support/processes.ts';
import { arr, rec, readRepoFile, repoPath, yamlDocuments } from './support/repo.ts';

const run = promisify(execFile);
/** The operator's command in the Deployment, the compose file and (for main) the Dockerfile's CMD, after `node`. */
const commandOf = (operator: string): string[] => [...operatorNodeFlags, `dist/${operator}/main.js`];

describe('packaging: the image entrypoint runs the operators against the sim', function () {
  this.timeout(240_000);
  let work = '';
  let app = '';
  let sim: ApiServer | undefined;
  let operator: Started | undefined;
  let built: BuiltOperator[] = [];

  const kubectl = async (kubeconfig: string, ...args: string[]): Promise<string> =>
    (await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(work, 'kube-cache'), ...args], { maxBuffer: 16 * 1024 * 1024 })).stdout;

  /** The first sample CouchDB, renamed. */
  function sampleCouchDB(name: string): string {
    const sample = rec(yamlDocuments(readRepoFile('manifests', 'samples', 'couchdb.yaml'))[0]);
    const file = join(work, `${name}.yaml`);
    writeFileSync(file, dump({ ...sample, metadata: { ...rec(sample['metadata']), name } }));
    return file;
  }

  /** Names of the children of kind `resource` the operator made for CouchDB `name`. */
  async function children(kubeconfig: string, resource: string, name: string): Promise<string[]> {
    const list = JSON.parse(await kubectl(kubeconfig, 'get', resource, '-n', 'default', '-l', `app.kubernetes.io/instance=${name}`, '-o', 'json')) as unknown;
    return arr(rec(list)['items']).map((i) => String(rec(rec(i)['metadata'])['name']));
  }

  async function status(port: number, path: string): Promise<number> {
    return (await fetch(`http://127.0.0.1:${port}${path}`)).status;
  }

  /** Starts the operator from the image layout with exactly the given environment (nothing inherited but PATH). */
  function startOperator(env: Record<string, string>, name = 'couchdb'): Started {
    operator = start(process.execPath, commandOf(name), { cwd: app, env: { PATH: process.env['PATH'] ?? '', HOME: work, NODE_ENV: 'production', ...env } });
    return operator;
  }

  async function stopGracefully(started: Started): Promise<void> {
    started.child.kill('SIGTERM');
    const exit = await within(started.exited, 20_000, `exit after SIGTERM; output:\n${started.output()}`);
    expect(exit, started.output()).to.deep.equal({ code: 0, signal: null });
  }

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'nimbus-image-'));
    app = join(work, 'app');
    mkdirSync(app);
    built = await assembleImageLayout(app, operatorNames);
    sim = await startApiServer({ crdDir: repoPath('manifests', 'crds'), quiet: true });
  });

  afterEach(async () => {
    if (operator && operator.child.exitCode === null && operator.child.signalCode === null) {
      operator.child.kill('SIGKILL');
      await operator.exited;
    }
    operator = undefined;
  });

  after(async () => {
    await sim?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the layout is the image: a bundle per operator, its templates beside it, production dependencies only', () => {
    for (const name of operatorNames) {
      expect(existsSync(join(app, 'dist', name, 'main.js')), name).to.equal(true);
      expect(existsSync(join(app, 'dist', name, 'templates')), `${name} templates`).to.equal(true);
    }
    expect(existsSync(join(app, 'package-lock.json'))).to.equal(false);
    for (const prod of ['@kubernetes/client-node', 'handlebars', 'js-yaml', 'pino']) expect(hasPackage(app, prod), prod).to.equal(true);
    for (const dev of ['typescript', 'mocha', 'chai', 'eslint', 'kubernetes-models']) expect(hasPackage(app, dev), dev).to.equal(false);
    // Every bundled source is one the Dockerfile's build stage has: copied (shared/, operators/) and not ignored.
    const dockerignore = readRepoFile('.dockerignore');
    for (const input of built.flatMap((b) => b.inputs)) {
      expect(input, 'bundled source').to.match(/^(shared|operators)\//);
      expect(keptByDockerignore(dockerignore, input), input).to.equal(true);
    }
  });

  it('serves /healthz and /readyz, renders children from its templates, exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const started = startOperator({ KUBECONFIG: sim!.kubeconfigPath, HTTP_PORT: String(port), LOG_LEVEL: 'info' });
    await waitFor(async () => (await status(port, '/healthz')) === 200, { timeoutMs: 30_000, message: `/healthz 200; output:\n${started.output()}` });
    await waitFor(async () => (await status(port, '/readyz')) === 200, { timeoutMs: 30_000, message: `/readyz 200; output:\n${started.output()}` });
    await kubectl(sim!.kubeconfigPath, 'apply', '-f', sampleCouchDB('image-admin'));
    // The StatefulSet and the config ConfigMap come from templates/*.yaml.hbs: their paths resolved in the bundle.
    await waitFor(async () => (await children(sim!.kubeconfigPath, 'statefulsets', 'image-admin')).length === 1 &&
      (await children(sim!.kubeconfigPath, 'configmaps', 'image-admin')).length === 1,
    { timeoutMs: 30_000, message: `children of CouchDB image-admin; output:\n${started.output()}` });
    await stopGracefully(started);
  });

  it('runs as its ServiceAccount with the RBAC of manifests/operators/couchdb and leader election on', async () => {
    const admin = sim!.kubeconfigPath;
    await kubectl(admin, 'apply', '-k', repoPath('manifests', 'operators', 'couchdb'));
    // `kubectl create token` would be the real way; the sim's TokenRequest answer is not accepted by kubectl 1.32 yet,
    // so the token is minted by the sim's own authority for the ServiceAccount kubectl just created.
    const uid = await kubectl(admin, 'get', 'serviceaccount', 'nimbus-couchdb-operator', '-n', 'nimbus-system', '-o', 'jsonpath={.metadata.uid}');
    const token = mintToken('nimbus-system', 'nimbus-couchdb-operator', { uid });
    const kubeconfig = join(work, 'operator-kubeconfig.yaml');
    const server = rec(rec(arr(rec(yamlDocuments(readFileSync(admin, 'utf8'))[0])['clusters'])[0])['cluster']);
    writeFileSync(kubeconfig, dump({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'operator',
      clusters: [{ name: 'sim', cluster: server }],
      users: [{ name: 'operator', user: { token } }],
      contexts: [{ name: 'operator', context: { cluster: 'sim', user: 'operator' } }],
    }));
    const port = await freePort();
    const started = startOperator({
      KUBECONFIG: kubeconfig, HTTP_PORT: String(port), LEADER_ELECT: 'true',
      POD_NAMESPACE: 'nimbus-system', POD_NAME: 'nimbus-couchdb-operator-0',
    });
    await waitFor(async () => (await status(port, '/readyz')) === 200, { timeoutMs: 30_000, message: `/readyz 200; output:\n${started.output()}` });
    await kubectl(admin, 'apply', '-f', sampleCouchDB('image-rbac'));
    await waitFor(async () => (await children(admin, 'statefulsets', 'image-rbac')).length === 1,
      { timeoutMs: 30_000, message: `children of CouchDB image-rbac; output:\n${started.output()}` });
    // Its status write (couchdbs/status) and its finalizer (patch on couchdbs) went through.
    const cr = async (): Promise<Record<string, unknown>> => rec(JSON.parse(await kubectl(admin, 'get', 'couchdb', 'image-rbac', '-n', 'default', '-o', 'json')));
    await waitFor(async () => rec((await cr())['status'])['observedGeneration'] === 1,
      { timeoutMs: 30_000, message: `status of CouchDB image-rbac; output:\n${started.output()}` });
    expect(rec((await cr())['metadata'])['finalizers']).to.include('nimbus.dev/couchdb');
    // Deletion runs its cleanup (volumes included) and removes the finalizer, all with these permissions.
    await kubectl(admin, 'delete', 'couchdb', 'image-rbac', '-n', 'default', '--wait=false');
    await waitFor(async () => !(await kubectl(admin, 'get', 'couchdbs', '-n', 'default', '-o', 'name')).includes('image-rbac'),
      { timeoutMs: 30_000, message: `CouchDB image-rbac gone; output:\n${started.output()}` });
    // It took the Lease in its own namespace through the leader-election Role.
    const lease = JSON.parse(await kubectl(admin, 'get', 'leases', '-n', 'nimbus-system', '-o', 'json')) as unknown;
    const holders = arr(rec(lease)['items']).map((l) => rec(rec(l)['spec'])['holderIdentity']);
    expect(holders).to.include('nimbus-couchdb-operator-0');
    expect(started.output(), 'no request was forbidden').to.not.match(/forbidden/i);
    // RBAC is enforced for this identity: what the ClusterRole does not grant is refused. (Asked with fetch:
    // kubectl does not send a bearer token to a plain-http server.)
    const denied = await fetch(`${sim!.url}/api/v1/namespaces/default/pods`, { headers: { Authorization: `Bearer ${token}` } });
    expect(denied.status).to.equal(403);
    const allowed = await fetch(`${sim!.url}/apis/apps/v1/namespaces/default/statefulsets`, { headers: { Authorization: `Bearer ${token}` } });
    expect(allowed.status).to.equal(200);
    if (process.env['NIMBUS_PACKAGING_DEBUG']) process.stderr.write(started.output());
    await stopGracefully(started);
  });

  for (const name of operatorNames.filter((o) => o !== 'couchdb')) {
    it(`${name}: the same command starts it, it gets ready and exits 0 on SIGTERM`, async () => {
      const port = await freePort();
      const started = startOperator({ KUBECONFIG: sim!.kubeconfigPath, HTTP_PORT: String(port) }, name);
      await waitFor(async () => (await status(port, '/readyz')) === 200, { timeoutMs: 30_000, message: `/readyz 200; output:\n${started.output()}` });
      expect(await status(port, '/healthz')).to.equal(200);
      await stopGracefully(started);
    });
  }
});
