import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { thrownBy } from '../../test/helpers/thrown.ts';
import { ConfigError, exitOnConfigError, loadConfig, type ExitIo } from './index.ts';


describe('config', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'nimbus-config-')); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  it('applies the defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).to.deep.include({
      kubeconfig: undefined, natsUrl: undefined, watchNamespace: undefined, logLevel: 'info', concurrency: 4,
      leaderElect: false, httpPort: 8080, podNamespace: 'nimbus-system', resyncSeconds: 300,
    });
    expect(config.podName).to.be.a('string').and.not.equal('');
  });

  it('parses every variable', () => {
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, 'apiVersion: v1\n');
    expect(loadConfig({
      KUBECONFIG: `${join(dir, 'missing')}:${kubeconfig}`, NATS_URL: 'tls://user:pw@nats.bus:4222', WATCH_NAMESPACE: 'tenant-acme',
      LOG_LEVEL: 'DEBUG', CONCURRENCY: '16', LEADER_ELECT: 'True', HTTP_PORT: '0', POD_NAMESPACE: 'ops',
      POD_NAME: 'couchdb-operator-7d9f-abcde', RESYNC_SECONDS: '0',
    })).to.deep.equal({
      kubeconfig: `${join(dir, 'missing')}:${kubeconfig}`, natsUrl: 'tls://user:pw@nats.bus:4222', watchNamespace: 'tenant-acme',
      logLevel: 'debug', concurrency: 16, leaderElect: true, httpPort: 0, podNamespace: 'ops',
      podName: 'couchdb-operator-7d9f-abcde', resyncSeconds: 0,
    });
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ NATS_URL: '', CONCURRENCY: ' ', WATCH_NAMESPACE: '' })).to.deep.include({
      natsUrl: undefined, concurrency: 4, watchNamespace: undefined,
    });
  });

  const bad: Array<[string, string, RegExp]> = [
    ['CONCURRENCY', '0', /from 1 to 256/],
    ['CONCURRENCY', '257', /from 1 to 256/],
    ['CONCURRENCY', '4.5', /integer/],
    ['CONCURRENCY', 'four', /integer/],
    ['HTTP_PORT', '65536', /from 0 to 65535/],
    ['HTTP_PORT', '-1', /from 0 to 65535/],
    ['LEADER_ELECT', 'yes', /true or false/],
    ['LOG_LEVEL', 'verbose', /one of trace\|debug\|info\|warn\|error\|fatal/],
    ['WATCH_NAMESPACE', 'Tenant_Acme', /namespace name/],
    ['POD_NAMESPACE', 'a'.repeat(64), /at most 63/],
    ['POD_NAME', 'Pod 1', /DNS subdomain/],
    ['NATS_URL', 'http://nats:4222', /nats:\/\/host:port or tls:\/\//],
    ['NATS_URL', 'nats-without-scheme', /nats:\/\//],
    ['KUBECONFIG', '/nonexistent/kubeconfig', /existing kubeconfig/],
    ['RESYNC_SECONDS', '86401', /from 0 to 86400/],
  ];
  for (const [variable, value, allowed] of bad) {
    it(`rejects ${variable}=${JSON.stringify(value.slice(0, 20))} naming the variable and the value`, () => {
      const error = thrownBy(ConfigError, () => loadConfig({ [variable]: value }));
      expect(error.name).to.equal('ConfigError');
      expect(error.variable).to.equal(variable);
      expect(error.message).to.include(`${variable}=`);
      expect(error.message).to.include(JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value));
      expect(error.message).to.match(allowed);
      expect(error.message).to.not.include('\n');
    });
  }

  it('keeps the message on one line and hides URL credentials', () => {
    expect(thrownBy(ConfigError, () => loadConfig({ CONCURRENCY: 'a\nb' })).message).to.not.include('\n');
    const error = thrownBy(ConfigError, () => loadConfig({ NATS_URL: 'http://user:secret@nats:4222' }));
    expect(error.message).to.not.include('secret');
    expect(error.message).to.include('http://***@nats:4222');
  });

  it('exitOnConfigError prints the line and exits 2; other errors propagate', () => {
    const lines: string[] = [];
    const io: ExitIo = { writeError: (l) => { lines.push(l); }, exit: (code) => { throw new Error(`exit ${code}`); } };
    expect(() => exitOnConfigError(() => loadConfig({ CONCURRENCY: 'x' }), io)).to.throw('exit 2');
    expect(lines).to.deep.equal(['configuration error: invalid CONCURRENCY="x": must be an integer from 1 to 256 (default 4)']);
    expect(() => exitOnConfigError(() => { throw new TypeError('bug'); }, io)).to.throw(TypeError);
    expect(exitOnConfigError(() => 42, io)).to.equal(42);
  });

  describe('in a child process', function () {
    this.timeout(30_000);
    const script = fileURLToPath(new URL('./fixtures/start.ts', import.meta.url));
    const run = (env: Record<string, string>) => spawnSync(process.execPath, ['--import', 'tsx', script], {
      env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8', timeout: 20_000,
    });

    it('exits 2 with one line on stderr for a bad value', () => {
      const result = run({ LEADER_ELECT: 'maybe' });
      expect(result.status).to.equal(2);
      expect(result.stdout).to.equal('');
      expect(result.stderr).to.equal('configuration error: invalid LEADER_ELECT="maybe": must be true or false (default false)\n');
    });

    it('starts with a good environment', () => {
      const result = run({ CONCURRENCY: '2', POD_NAME: 'p-1' });
      expect(result.status, result.stderr).to.equal(0);
      expect(JSON.parse(result.stdout)).to.deep.include({ concurrency: 2, podName: 'p-1' });
    });
  });
});
