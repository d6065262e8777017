import { expect } from 'chai';
import { WorkQueue } from './queue.ts';
import { backoffDelayMs } from './backoff.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';

describe('WorkQueue', () => {
  it('de-duplicates a waiting key', async () => {
    const queue = new WorkQueue();
    queue.add('a'); queue.add('a'); queue.add('b');
    expect(queue.depth).to.equal(2);
    expect(await queue.get()).to.equal('a');
    expect(await queue.get()).to.equal('b');
    expect(queue.depth).to.equal(0);
  });

  it('never hands out a key in flight; re-queues it once when added meanwhile', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    const key = await queue.get();
    for (let i = 0; i < 1000; i++) queue.add('a');
    expect(queue.depth).to.equal(0);
    queue.done(key ?? '');
    expect(queue.depth).to.equal(1);
    expect(await queue.get()).to.equal('a');
    queue.done('a');
    expect(queue.depth).to.equal(0);
  });

  it('collapses delayed adds to the earliest', async () => {
    const queue = new WorkQueue();
    queue.addAfter('a', 10_000);
    queue.addAfter('a', 30);
    queue.addAfter('a', 20_000);
    expect(queue.delayedCount).to.equal(1);
    await waitFor(() => queue.depth === 1, { timeoutMs: 2000 });
    expect(queue.delayedCount).to.equal(0);
    queue.shutDown();
  });

  it('replaceAfter: a later request replaces the pending delayed add, or drops it', async () => {
    const queue = new WorkQueue();
    queue.addAfter('a', 20);
    queue.replaceAfter('a', 60_000);
    queue.addAfter('b', 20);
    queue.replaceAfter('b', undefined);
    expect(queue.delayedCount).to.equal(1);
    queue.addAfter('c', 80); // later than a's and b's original 20 ms: had they stayed, they would be queued by now
    await waitFor(() => queue.depth === 1, { timeoutMs: 2000, message: 'c queued after its delay' });
    expect(queue.depth, 'neither a (replaced by 60 s) nor b (dropped)').to.equal(1);
    expect(queue.delayedCount).to.equal(1);
    queue.shutDown();
  });

  it('backs off exponentially per key and honours retryAfterMs', () => {
    const queue = new WorkQueue({ backoff: { initialMs: 100, maxMs: 1000 }, random: () => 1 });
    expect([queue.retry('a'), queue.retry('a'), queue.retry('a'), queue.retry('a'), queue.retry('a')])
      .to.deep.equal([100, 200, 400, 800, 1000]);
    expect(queue.retry('b')).to.equal(100);
    expect(queue.retry('c', 5000)).to.equal(5000);
    queue.forget('a');
    expect(queue.failuresOf('a')).to.equal(0);
    queue.shutDown();
  });

  it('jitters within half to full of the exponential delay', () => {
    expect(backoffDelayMs(3, { initialMs: 100, maxMs: 10_000 }, () => 0)).to.equal(200);
    expect(backoffDelayMs(3, { initialMs: 100, maxMs: 10_000 }, () => 1)).to.equal(400);
  });

  it('releases waiting getters on shutdown', async () => {
    const queue = new WorkQueue();
    const pending = queue.get();
    queue.shutDown();
    expect(await pending).to.equal(undefined);
    queue.add('x');
    expect(queue.depth).to.equal(0);
  });
});
