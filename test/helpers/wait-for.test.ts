import { expect } from 'chai';
import { waitFor, WaitForTimeoutError } from './wait-for.ts';

describe('test helper: waitFor', () => {
  it('resolves with the first value that is not undefined or false', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
    expect(value).to.deep.equal({ calls: 3 });
    expect(await waitFor(async () => 0)).to.equal(0);
  });

  it('times out naming what it waited for, with the last probe error as cause', async () => {
    let error: unknown;
    await waitFor(() => { throw new Error('not yet'); }, { timeoutMs: 30, intervalMs: 5, message: 'the thing' })
      .catch((e: unknown) => { error = e; });
    expect(error).to.be.instanceOf(WaitForTimeoutError);
    expect((error as Error).message).to.equal('timed out after 30 ms waiting for the thing');
    expect(((error as Error).cause as Error).message).to.equal('not yet');
  });

  it('stops when its signal aborts', async () => {
    const abort = new AbortController();
    abort.abort(new Error('gone'));
    let error: unknown;
    await waitFor(() => false, { signal: abort.signal }).catch((e: unknown) => { error = e; });
    expect((error as Error).message).to.equal('gone');
  });
});
