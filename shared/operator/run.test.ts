import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError } from '#shared/config/index.ts';
import { silentLogger } from '#shared/observability/logger.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { runOperator } from './run.ts';
import { commonControllerOptions } from './defaults.ts';
import { loadConfig } from '#shared/config/index.ts';

describe('runOperator', () => {
  let dir: string;
  let kubeconfig: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-run-operator-'));
    kubeconfig = join(dir, 'kubeconfig');
    // Never contacted: these tests run no controllers.
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'clusters:', '- name: c', '  cluster:', '    server: http://127.0.0.1:1',
      'users:', '- name: u', '  user: {}', 'contexts:', '- name: x', '  context: {cluster: c, user: u}', 'current-context: x', '',
    ].join('\n'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 on a bad configuration, naming the variable', async () => {
    const codes: number[] = [];
    let error: unknown;
    try {
      await runOperator({ name: 'x', controllers: () => [], env: { KUBECONFIG: kubeconfig, HTTP_PORT: 'eighty' }, exit: (code) => codes.push(code), handleSignals: false });
    } catch (caught) {
      error = caught;
    }
    expect(codes).to.deep.equal([2]);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).variable).to.equal('HTTP_PORT');
  });

  it('serves probes, and on SIGTERM stops and exits 0', async () => {
    const codes: number[] = [];
    const handlersBefore = process.listenerCount('SIGTERM');
    const operator = await runOperator({
      name: 'x', controllers: () => [], env: { KUBECONFIG: kubeconfig, HTTP_PORT: '0' }, exit: (code) => codes.push(code), log: silentLogger(),
    });
    expect((await fetch(`http://127.0.0.1:${operator.healthPort}/healthz`)).status).to.equal(200);
    expect((await fetch(`http://127.0.0.1:${operator.healthPort}/readyz`)).status).to.equal(200);
    process.emit('SIGTERM', 'SIGTERM');
    await waitFor(() => codes.length > 0, { message: 'exit' });
    expect(codes).to.deep.equal([0]);
    expect(process.listenerCount('SIGTERM')).to.equal(handlersBefore);
    await operator.stop();
  });

  it('closes what it built when the controller factory fails', async () => {
    let error: unknown;
    try {
      await runOperator({ name: 'x', controllers: () => Promise.reject(new Error('boom')), env: { KUBECONFIG: kubeconfig, HTTP_PORT: '0' }, log: silentLogger(), handleSignals: false });
    } catch (caught) {
      error = caught;
    }
    expect((error as Error).message).to.equal('boom');
  });

  it('derives controller options from the config (leader election on nimbus-<name>)', () => {
    const config = loadConfig({ KUBECONFIG: kubeconfig, LEADER_ELECT: 'true', POD_NAMESPACE: 'ops', POD_NAME: 'p-1', CONCURRENCY: '2', WATCH_NAMESPACE: 'team', RESYNC_SECONDS: '0' });
    const options = commonControllerOptions('couchdb', config);
    expect(options).to.deep.include({ concurrency: 2, namespace: 'team' });
    expect(options.resyncMs).to.equal(undefined);
    expect(options.leaderElection).to.include({ leaseName: 'nimbus-couchdb', namespace: 'ops', identity: 'p-1' });
  });
});
