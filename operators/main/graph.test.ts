import { expect } from 'chai';
import {
  GraphCycleError,
  assertAcyclic,
  deletableSteps,
  deletionOrder,
  enabledSteps,
  runnableSteps,
  skipReason,
  tenantGraph,
  topologicalOrder,
  type StepGraph,
} from './graph.ts';
import type { StepName, StepState } from './types.ts';

describe('tenant step graph', () => {
  it('orders namespace → couchdb, nats → openwhisk → credentials', () => {
    expect(topologicalOrder(tenantGraph)).to.deep.equal(['namespace', 'couchdb', 'nats', 'openwhisk', 'credentials']);
  });

  it('runs namespace alone first, then couchdb and nats in parallel', () => {
    expect(runnableSteps(tenantGraph, {})).to.deep.equal(['namespace']);
    expect(runnableSteps(tenantGraph, { namespace: 'Ready' })).to.deep.equal(['namespace', 'couchdb', 'nats']);
  });

  it('starts openwhisk when couchdb is Ready, whatever nats does; credentials only when all are Ready', () => {
    const states: Partial<Record<StepName, StepState>> = { namespace: 'Ready', couchdb: 'Ready', nats: 'Running' };
    expect(runnableSteps(tenantGraph, states)).to.deep.equal(['namespace', 'couchdb', 'nats', 'openwhisk']);
    expect(runnableSteps(tenantGraph, { ...states, nats: 'Ready', openwhisk: 'Ready' })).to.include('credentials');
    expect(runnableSteps(tenantGraph, { ...states, couchdb: 'Failed' })).to.not.include('openwhisk');
  });

  it('treats a Skipped step as satisfied and never runs it', () => {
    const states: Partial<Record<StepName, StepState>> = { namespace: 'Ready', couchdb: 'Ready', nats: 'Ready', openwhisk: 'Skipped' };
    const runnable = runnableSteps(tenantGraph, states);
    expect(runnable).to.include('credentials');
    expect(runnable).to.not.include('openwhisk');
  });

  it('enables every step by default and skips disabled blocks', () => {
    expect(enabledSteps(undefined)).to.deep.equal(['namespace', 'couchdb', 'nats', 'openwhisk', 'credentials']);
    expect(enabledSteps({ nats: { enabled: false } })).to.deep.equal(['namespace', 'couchdb', 'openwhisk', 'credentials']);
    expect(skipReason({ nats: { enabled: false } }, 'nats')).to.match(/spec\.nats\.enabled is false/);
  });

  it('skips openwhisk when couchdb is disabled and no external CouchDB is given', () => {
    expect(enabledSteps({ couchdb: { enabled: false } })).to.deep.equal(['namespace', 'nats', 'credentials']);
    expect(skipReason({ couchdb: { enabled: false } }, 'openwhisk')).to.match(/spec\.openwhisk\.couchdb\.url/);
    const external = { couchdb: { enabled: false }, openwhisk: { couchdb: { url: 'https://couch.example.com', secretRef: { name: 's' } } } };
    expect(enabledSteps(external)).to.include('openwhisk');
  });

  it('deletes in reverse order: credentials, openwhisk, nats, couchdb, namespace last', () => {
    const order = deletionOrder(tenantGraph);
    expect(order).to.deep.equal(['credentials', 'openwhisk', 'nats', 'couchdb', 'namespace']);
    expect(order.indexOf('openwhisk')).to.be.below(order.indexOf('couchdb'));
  });

  it('deletes only what nothing present depends on', () => {
    const all = new Set<StepName>(['namespace', 'couchdb', 'nats', 'openwhisk', 'credentials']);
    expect(deletableSteps(tenantGraph, all)).to.deep.equal(['credentials']);
    expect(deletableSteps(tenantGraph, new Set<StepName>(['namespace', 'couchdb', 'nats', 'openwhisk']))).to.deep.equal(['openwhisk', 'nats']);
    expect(deletableSteps(tenantGraph, new Set<StepName>(['namespace', 'couchdb']))).to.deep.equal(['couchdb']);
    expect(deletableSteps(tenantGraph, new Set<StepName>(['namespace']))).to.deep.equal(['namespace']);
  });

  it('refuses cycles and unknown dependencies, naming the steps', () => {
    const cyclic: StepGraph = [
      { name: 'namespace', needs: [] },
      { name: 'couchdb', needs: ['namespace', 'openwhisk'] },
      { name: 'openwhisk', needs: ['couchdb'] },
    ];
    expect(() => assertAcyclic(cyclic)).to.throw(GraphCycleError, /cycle among: couchdb, openwhisk/);
    expect(() => assertAcyclic([{ name: 'nats', needs: ['couchdb'] }])).to.throw(GraphCycleError, /not a step/);
    expect(() => assertAcyclic(tenantGraph)).to.not.throw();
  });
});
