import { expect } from 'chai';
import { childName, maxNameLength } from './naming.ts';
import { setCondition } from './conditions.ts';

describe('childName', () => {
  it('joins the CR name and the role when short', () => {
    expect(childName('acme', 'couchdb-admin')).to.equal('acme-couchdb-admin');
  });
  it('shortens long names with a stable hash, within 63 characters', () => {
    const long = 'a'.repeat(60);
    const name = childName(long, 'couchdb-admin');
    expect(name.length).to.be.at.most(maxNameLength);
    expect(name).to.match(/^a+-[0-9a-f]{8}$/);
    expect(childName(long, 'couchdb-admin')).to.equal(name);
    expect(childName(long, 'couchdb-headless')).to.not.equal(name);
  });
});

describe('setCondition', () => {
  it('keeps lastTransitionTime when the status does not change', () => {
    const first = setCondition(undefined, { type: 'Ready', status: 'False', reason: 'A', message: 'a' }, 't1');
    const second = setCondition(first, { type: 'Ready', status: 'False', reason: 'B', message: 'b' }, 't2');
    expect(second).to.deep.equal([{ type: 'Ready', status: 'False', reason: 'B', message: 'b', lastTransitionTime: 't1' }]);
    const third = setCondition(second, { type: 'Ready', status: 'True', reason: 'C', message: 'c' }, 't3');
    expect(third[0]?.lastTransitionTime).to.equal('t3');
  });
});
