import { expect } from 'chai';
import { compileLabelSelector } from './selector.ts';

describe('compileLabelSelector', () => {
  const labels = { app: 'couchdb', tier: 'db', 'nimbus.dev/tenant': 'acme' };
  const cases: Array<[string, boolean]> = [
    ['', true], ['app=couchdb', true], ['app==couchdb', true], ['app!=couchdb', false], ['app=nats', false],
    ['tier', true], ['!tier', false], ['!missing', true], ['app in (nats,couchdb)', true], ['app notin (couchdb)', false],
    ['app=couchdb,nimbus.dev/tenant=acme', true], ['app=couchdb, tier in (web)', false],
  ];
  for (const [selector, expected] of cases) {
    it(`${selector || '(empty)'} → ${String(expected)}`, () => {
      expect(compileLabelSelector(selector)(labels)).to.equal(expected);
    });
  }
  it('treats absent labels as empty', () => {
    expect(compileLabelSelector('app')(undefined)).to.equal(false);
    expect(compileLabelSelector('!app')(undefined)).to.equal(true);
  });
});
