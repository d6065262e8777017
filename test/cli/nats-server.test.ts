import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { expect } from 'chai';
import { findNatsServer, natsMissingMessage, startLocalNats } from '../../cli/nats-server.ts';
import { alive } from './start-process.ts';

function sendsInfo(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('error', () => resolve(false));
    socket.once('data', (chunk: Buffer) => { socket.destroy(); resolve(chunk.toString('utf8').startsWith('INFO')); });
  });
}

describe('local nats-server for npm start', function () {
  this.timeout(30_000);

  it('is found on PATH or in /usr/sbin, and missing means one line naming apt-get and --no-events', () => {
    expect(findNatsServer()).to.match(/\/nats-server$/);
    expect(findNatsServer('/nonexistent', [])).to.equal(undefined);
    expect(natsMissingMessage).not.to.contain('\n');
    expect(natsMissingMessage).to.contain('apt-get install nats-server').and.to.contain('--no-events');
  });

  it('starts with JetStream on a free port and stops (process gone)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nimbus-cli-nats-'));
    try {
      const nats = await startLocalNats(dir);
      const port = Number(new URL(nats.url).port);
      expect(await sendsInfo(port)).to.equal(true);
      expect(alive(nats.pid)).to.equal(true);
      await nats.stop();
      expect(alive(nats.pid)).to.equal(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
