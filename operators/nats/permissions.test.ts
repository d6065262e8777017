/**
 * Proves the rendered authorization against a real nats-server started with the rendered nats.conf: the default user
 * publishes under its prefix and is refused outside it; an admin listening everywhere receives nothing from outside.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, PermissionViolationError, type NatsConnection, type Status } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { freePort } from '../../test/fixtures/nats.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { renderNatsConf } from './conf.ts';
import { resolveSpec } from './spec.ts';
import type { NatsCluster } from './types.ts';

const resource: NatsCluster = {
  apiVersion: 'nimbus.dev/v1alpha1',
  kind: 'NatsCluster',
  metadata: { name: 'acme', namespace: 'tenant-acme', uid: 'u-1', labels: { 'nimbus.dev/tenant': 'acme' } },
  spec: { users: [{ name: 'admin', permissions: { publish: { allow: ['>'] }, subscribe: { allow: ['>'] } } }] },
};
const passwords = { acme: 'acme-secret', admin: 'admin-secret' };

describe('nats.conf authorization, against a real nats-server', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  let port: number;
  const connections: NatsConnection[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-natsperm-'));
    port = await freePort();
    const conf = renderNatsConf({
      name: 'acme',
      namespace: 'tenant-acme',
      spec: resolveSpec(resource),
      passwords,
      listenHost: '127.0.0.1',
      clientPort: port,
      storeDir: join(dir, 'jetstream'),
    });
    // The monitoring port comes from the spec; move it to a free one so parallel runs do not collide.
    const monitorPort = await freePort();
    const file = join(dir, 'nats.conf');
    writeFileSync(file, conf.replace('"127.0.0.1:8222"', `"127.0.0.1:${monitorPort}"`));
    server = spawn('/usr/sbin/nats-server', ['-c', file], { env: { ...process.env, POD_NAME: 'acme-nats-0' }, stdio: 'ignore' });
    await waitFor(() => connect({ servers: `127.0.0.1:${port}`, user: 'admin', pass: 'admin-secret' }).then(async (nc) => {
      await nc.close();
      return true;
    }), { timeoutMs: 10_000, message: 'nats-server with the rendered config' });
  });

  after(async () => {
    for (const nc of connections) await nc.close().catch(() => undefined);
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function login(user: string, pass: string): Promise<NatsConnection> {
    const nc = await connect({ servers: `127.0.0.1:${port}`, user, pass });
    connections.push(nc);
    return nc;
  }

  it('refuses a wrong password', async () => {
    const failure = await connect({ servers: `127.0.0.1:${port}`, user: 'acme', pass: 'wrong', reconnect: false }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(Error);
  });

  it('lets the default user publish under its prefix and refuses it outside', async () => {
    const admin = await login('admin', passwords.admin);
    const inside: string[] = [];
    const outside: string[] = [];
    admin.subscribe('acme.>', { callback: (_err, msg) => void inside.push(msg.subject) });
    admin.subscribe('other.>', { callback: (_err, msg) => void outside.push(msg.subject) });
    await admin.flush();

    const acme = await login('acme', passwords.acme);
    const statuses: Status[] = [];
    void (async () => {
      for await (const s of acme.status()) statuses.push(s);
    })();

    acme.publish('acme.x', 'hello');
    acme.publish('other.x', 'should be refused');
    const error = await waitFor(
      () => {
        for (const s of statuses) if (s.type === 'error' && s.error instanceof PermissionViolationError) return s.error;
        return undefined;
      },
      { timeoutMs: 5000, message: 'a permissions violation for other.x' },
    );
    expect(error.operation).to.equal('publish');
    expect(error.subject).to.equal('other.x');

    // A marker published after the refused message: once the admin has it, anything allowed earlier has arrived too.
    acme.publish('acme.after', 'marker');
    await waitFor(() => inside.includes('acme.after'), { timeoutMs: 5000, message: 'the marker' });
    expect(inside).to.deep.equal(['acme.x', 'acme.after']);
    expect(outside).to.deep.equal([]);
    expect(acme.isClosed()).to.equal(false);
  });

  it('refuses the default user a subscription outside its prefix', async () => {
    const acme = await login('acme', passwords.acme);
    const sub = acme.subscribe('other.>');
    // nats.js 3.x resolves `closed` with the error that ended the subscription.
    const ended = await sub.closed;
    expect(ended).to.be.instanceOf(PermissionViolationError);
    expect((ended as PermissionViolationError).operation).to.equal('subscription');
  });

  it('lets the default user use JetStream for its own subjects, not for others', async () => {
    const acme = await login('acme', passwords.acme);
    const jsm = await jetstreamManager(acme);
    await jsm.streams.add({ name: 'ACME_ORDERS', subjects: ['acme.orders.>'] });
    const ack = await jetstream(acme).publish('acme.orders.1', 'order');
    expect(ack.stream).to.equal('ACME_ORDERS');
    expect(ack.seq).to.equal(1);
    // A stream over someone else's subjects is accepted by the server, but the user cannot publish into it.
    await jsm.streams.add({ name: 'OTHER', subjects: ['other.>'] });
    const refused = await jetstream(acme).publish('other.1', 'x', { timeout: 1000 }).then(() => undefined, (error: unknown) => error);
    expect(refused).to.be.instanceOf(Error);
    expect((await jsm.streams.info('OTHER')).state.messages).to.equal(0);
  });
});
