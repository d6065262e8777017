import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { KubeSetupError, kubeClientFor, kubeSource } from './kube-source.ts';

const kubeconfigText = [
  'apiVersion: v1', 'kind: Config', 'clusters:', '- name: c', '  cluster:', '    server: http://127.0.0.1:1',
  'users:', '- name: u', '  user: {}', 'contexts:', '- name: x', '  context: {cluster: c, user: u}', 'current-context: x', '',
].join('\n');

describe('where an operator finds its API server (kube-source)', function () {
  this.timeout(60_000);
  let dir: string;
  let emptyHome: string;
  const savedHome = process.env['HOME'];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-kube-source-'));
    emptyHome = join(dir, 'empty-home');
    mkdirSync(emptyHome);
    writeFileSync(join(dir, 'good'), kubeconfigText);
    writeFileSync(join(dir, 'garbage'), 'clusters: [unclosed\n  - {{{\n');
    writeFileSync(join(dir, 'no-context'), 'apiVersion: v1\nkind: Config\n');
  });
  after(() => {
    process.env['HOME'] = savedHome;
    rmSync(dir, { recursive: true, force: true });
  });

  describe('the decision', () => {
    afterEach(() => { process.env['HOME'] = savedHome; });

    it('takes the first existing file of KUBECONFIG', () => {
      expect(kubeSource(`${join(dir, 'missing')}:${join(dir, 'good')}`, {})).to.deep.equal({ kind: 'kubeconfig', path: join(dir, 'good'), fromEnv: true });
    });
    it('prefers the service account in a pod, then ~/.kube/config', () => {
      process.env['HOME'] = dir;
      mkdirSync(join(dir, '.kube'), { recursive: true });
      writeFileSync(join(dir, '.kube', 'config'), kubeconfigText);
      expect(kubeSource(undefined, { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' })).to.deep.equal({ kind: 'in-cluster' });
      expect(kubeSource(undefined, {})).to.deep.equal({ kind: 'kubeconfig', path: join(dir, '.kube', 'config'), fromEnv: false });
    });
    it('says what is missing when there is nothing', () => {
      process.env['HOME'] = emptyHome;
      expect(() => kubeSource(undefined, {})).to.throw(KubeSetupError, /KUBECONFIG is not set.*set KUBECONFIG=/);
    });
    it('names the file of a kubeconfig that does not parse, on one line', () => {
      let error: unknown;
      try {
        kubeClientFor({ kind: 'kubeconfig', path: join(dir, 'garbage'), fromEnv: true }, 'x');
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(KubeSetupError);
      expect((error as Error).message).to.contain(join(dir, 'garbage')).and.not.contain('\n');
      expect((error as Error).cause).to.be.instanceOf(Error);
    });
  });

  describe('an operator process without a usable API server', () => {
    const run = (operator: string, environment: Record<string, string | undefined>) => {
      const mainTs = fileURLToPath(new URL(`../../operators/${operator}/main.ts`, import.meta.url));
      const env: NodeJS.ProcessEnv = { ...process.env, NATS_URL: '', HTTP_PORT: '0', HOME: emptyHome, ...environment };
      for (const name of ['KUBECONFIG', 'KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT']) {
        if (environment[name] === undefined) delete env[name];
      }
      const child = spawn(process.execPath, ['--import', 'tsx', mainTs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
      child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
      return new Promise<{ code: number | null; lines: string[] }>((resolve) => {
        child.once('exit', (code) => resolve({ code, lines: output.trim().split('\n') }));
      });
    };

    it('KUBECONFIG unset outside a cluster, no ~/.kube/config: one line, exit 2 (both operators)', async () => {
      for (const operator of ['couchdb', 'openwhisk']) {
        const { code, lines } = await run(operator, {});
        expect(code, operator).to.equal(2);
        expect(lines, operator).to.have.length(1);
        expect(lines[0]).to.match(/^configuration error: no Kubernetes API server configured: KUBECONFIG is not set/);
      }
    });
    it('KUBECONFIG naming no file: one line, exit 2', async () => {
      const { code, lines } = await run('couchdb', { KUBECONFIG: join(dir, 'missing') });
      expect(code).to.equal(2);
      expect(lines).to.have.length(1);
      expect(lines[0]).to.contain('KUBECONFIG').and.contain(join(dir, 'missing'));
    });
    it('a kubeconfig that does not parse, or has no context: one line naming it, exit 2', async () => {
      for (const file of ['garbage', 'no-context']) {
        const { code, lines } = await run('openwhisk', { KUBECONFIG: join(dir, file) });
        expect(code, file).to.equal(2);
        expect(lines, file).to.have.length(1);
        expect(lines[0]).to.match(new RegExp(`^configuration error: KUBECONFIG ${join(dir, file)} cannot be used: .*; fix the file`));
      }
    });
  });
});
