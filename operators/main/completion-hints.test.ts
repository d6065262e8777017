import { expect } from 'chai';
import { buildEvent } from '#shared/bus/envelope.ts';
import type { EventPhase } from '#shared/bus/types.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import { findCondition } from '#shared/objects/index.ts';
import { CompletionHints } from './completion-hints.ts';

const nowIso = '2026-11-22T00:00:00Z';

function couchdb(resourceVersion: string, phase = 'Provisioning', generation = 1): KubeObject {
  return {
    apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB',
    metadata: { name: 'acme', namespace: 'tenant-acme', uid: 'u-1', generation, resourceVersion, labels: { 'nimbus.dev/tenant': 'acme' } },
    status: { phase, observedGeneration: generation, endpoint: 'http://acme-couchdb:5984' },
  };
}

function event(object: KubeObject, phase: EventPhase): ReturnType<typeof buildEvent> {
  const status = { ...(object['status'] as Record<string, unknown>), phase: phase === 'ready' ? 'Ready' : 'Failed' };
  return buildEvent({ source: 'couchdb', object: { ...object, status }, phase, reason: 'Ready', message: 'CouchDB is up', time: nowIso });
}

describe('main: completion hints', () => {
  it('lays the event\'s Ready over a cache that does not show it yet, also over earlier writes the watch delivers late', () => {
    const hints = new CompletionHints(2000);
    const cached = couchdb('10');
    hints.record(event(cached, 'ready'), 1000);
    const { child, hinted } = hints.overlay(cached, 1500, nowIso);
    expect(hinted).to.equal(true);
    const status = child['status'] as Record<string, unknown>;
    expect(status).to.include({ phase: 'Ready', observedGeneration: 1, endpoint: 'http://acme-couchdb:5984' });
    expect(findCondition(status['conditions'] as never, 'Ready')).to.include({ status: 'True', reason: 'Ready' });
    expect(cached['status']).to.include({ phase: 'Provisioning' }); // the cached copy is not changed
    expect(hints.overlay(couchdb('11'), 1600, nowIso).hinted).to.equal(true);
  });

  it('trusts the cache again once it shows Ready, and drops the hint', () => {
    const hints = new CompletionHints(2000);
    hints.record(event(couchdb('10'), 'ready'), 1000);
    const caughtUp = couchdb('12', 'Ready');
    const { child, hinted } = hints.overlay(caughtUp, 1100, nowIso);
    expect(hinted).to.equal(false);
    expect(child).to.equal(caughtUp);
    expect(hints.size).to.equal(0);
  });

  it('expires: a hint older than its ttl no longer stands', () => {
    const hints = new CompletionHints(2000);
    hints.record(event(couchdb('10'), 'ready'), 1000);
    expect(hints.overlay(couchdb('10'), 3000, nowIso).hinted).to.equal(false);
    expect(hints.size).to.equal(0);
  });

  it('ignores another object or generation, and a failed event drops the hint', () => {
    const hints = new CompletionHints(2000);
    hints.record(event(couchdb('10'), 'ready'), 1000);
    const recreated = { ...couchdb('10'), metadata: { ...couchdb('10').metadata, uid: 'u-2' } };
    expect(hints.overlay(recreated, 1100, nowIso).hinted).to.equal(false);
    hints.record(event(couchdb('10'), 'ready'), 1000);
    expect(hints.overlay(couchdb('10', 'Provisioning', 2), 1100, nowIso).hinted).to.equal(false);
    hints.record(event(couchdb('10'), 'ready'), 1000);
    hints.record(event(couchdb('10'), 'failed'), 1001);
    expect(hints.size).to.equal(0);
  });

  it('forgets the hints of a deleted tenant\'s children', () => {
    const hints = new CompletionHints(2000);
    hints.record(event(couchdb('10'), 'ready'), 1000);
    hints.forgetChildrenNamed('other');
    expect(hints.size).to.equal(1);
    hints.forgetChildrenNamed('acme');
    expect(hints.size).to.equal(0);
  });
});
