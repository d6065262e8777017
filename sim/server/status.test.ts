/** Recognising a StatusError thrown by a second copy of sim/types.ts (tsx's ESM and CJS paths). */
import { expect } from 'chai';
import { StatusError } from '#sim/types.ts';
import { failure, statusOfError } from '#sim/server/status.ts';

describe('statusOfError', () => {
  const body = failure(422, 'Invalid', 'x is invalid', {});

  it('answers the body of a StatusError of this module instance', () => {
    expect(statusOfError(new StatusError(body))).to.equal(body);
  });

  it('answers the body of a StatusError of another module instance (by name and shape)', () => {
    class OtherStatusError extends Error {
      override name = 'StatusError';
      readonly body = body;
    }
    expect(new OtherStatusError() instanceof StatusError).to.equal(false);
    expect(statusOfError(new OtherStatusError())).to.equal(body);
  });

  it('answers undefined for other errors and for a name without a Status body', () => {
    expect(statusOfError(new Error('boom'))).to.equal(undefined);
    expect(statusOfError(Object.assign(new Error('x'), { name: 'StatusError', body: { kind: 'Other' } }))).to.equal(undefined);
    expect(statusOfError('text')).to.equal(undefined);
  });
});
