import { expect } from 'chai';
import { onShutdownSignal } from './shutdown.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';

describe('onShutdownSignal', () => {
  it('runs the stop functions in order on SIGTERM, then exits 0', async () => {
    const order: string[] = [];
    let exitCode: number | undefined;
    const remove = onShutdownSignal([
      async () => { await Promise.resolve(); order.push('controller'); },
      () => { order.push('bus'); },
    ], { exit: (code) => { exitCode = code; } });
    try {
      process.emit('SIGTERM');
      await waitFor(() => exitCode !== undefined);
      expect(order).to.deep.equal(['controller', 'bus']);
      expect(exitCode).to.equal(0);
    } finally {
      remove();
    }
  });

  it('exits 1 when a stop function fails, after running the rest', async () => {
    const order: string[] = [];
    let exitCode: number | undefined;
    const remove = onShutdownSignal([
      () => { throw new Error('stuck'); },
      () => { order.push('after'); },
    ], { exit: (code) => { exitCode = code; } });
    try {
      process.emit('SIGINT');
      await waitFor(() => exitCode !== undefined);
      expect(order).to.deep.equal(['after']);
      expect(exitCode).to.equal(1);
    } finally {
      remove();
    }
  });
});
