import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { buildEvent, eventPhase, eventSubject, kindFilter, messageId, parseEvent, subjectOf } from './envelope.ts';

const couchdb: KubeObject = {
  apiVersion: 'nimbus.dev/v1alpha1',
  kind: 'CouchDB',
  metadata: { name: 'acme-couchdb', namespace: 'tenant-acme', uid: 'u-1', generation: 3, labels: { 'nimbus.dev/tenant': 'acme' } },
  status: { observedGeneration: 3, phase: 'Ready' },
};

describe('bus envelope', () => {
  it('builds subjects: kind lower-case, _ for cluster scope, dots in names as _', () => {
    expect(eventSubject('CouchDB', 'tenant-acme', 'acme-couchdb')).to.equal('nimbus.events.couchdb.tenant-acme.acme-couchdb');
    expect(eventSubject('Tenant', undefined, 'acme')).to.equal('nimbus.events.tenant._.acme');
    expect(eventSubject('Tenant', '', 'a.b.c')).to.equal('nimbus.events.tenant._.a_b_c');
    expect(kindFilter('CouchDB')).to.equal('nimbus.events.couchdb.*.*');
  });

  it('builds a CloudEvents envelope from an object', () => {
    const event = buildEvent({
      source: 'couchdb', object: couchdb, phase: 'ready', reason: 'Ready', message: 'up',
      outputs: { endpoint: 'http://acme-couchdb.tenant-acme:5984' }, time: new Date('2026-01-02T03:04:05Z'), id: 'e-1',
    });
    expect(event).to.deep.equal({
      specversion: '1.0', id: 'e-1', source: '/operators/couchdb', type: 'dev.nimbus.couchdb.ready',
      subject: 'tenant-acme/acme-couchdb', time: '2026-01-02T03:04:05.000Z', datacontenttype: 'application/json',
      data: {
        ref: { apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', namespace: 'tenant-acme', name: 'acme-couchdb', uid: 'u-1' },
        generation: 3, observedGeneration: 3, phase: 'ready', reason: 'Ready', message: 'up',
        outputs: { endpoint: 'http://acme-couchdb.tenant-acme:5984' }, tenant: 'acme',
      },
    });
    expect(messageId(event)).to.equal('u-1/3/ready');
    expect(subjectOf(event)).to.equal('nimbus.events.couchdb.tenant-acme.acme-couchdb');
    expect(eventPhase(event)).to.equal('ready');
  });

  it('handles cluster-scoped objects without status or tenant, and generates ids', () => {
    const tenant: KubeObject = { apiVersion: 'nimbus.dev/v1alpha1', kind: 'Tenant', metadata: { name: 'acme', uid: 'u-2' } };
    const a = buildEvent({ source: '/operators/main', object: tenant, phase: 'deleted', reason: 'Deleted', message: '' });
    const b = buildEvent({ source: '/operators/main', object: tenant, phase: 'deleted', reason: 'Deleted', message: '' });
    expect(a.subject).to.equal('_/acme');
    expect(a.source).to.equal('/operators/main');
    expect(a.data.ref).to.not.have.property('namespace');
    expect(a.data).to.not.have.property('tenant');
    expect(a.data.generation).to.equal(0);
    expect(a.data.observedGeneration).to.equal(0);
    expect(a.id).to.not.equal(b.id);
    expect(messageId(a)).to.equal(messageId(b));
  });

  it('round-trips through JSON and bytes', () => {
    const event = buildEvent({ source: 'couchdb', object: couchdb, phase: 'failed', reason: 'Boom', message: 'x' });
    expect(parseEvent(JSON.stringify(event))).to.deep.equal(event);
    expect(parseEvent(new TextEncoder().encode(JSON.stringify(event)))).to.deep.equal(event);
  });

  it('tolerates unknown fields and unknown types, and fills defaults', () => {
    const parsed = parseEvent({
      specversion: '1.0', id: 'x', type: 'dev.nimbus.couchdb.scaled', extra: { a: 1 },
      data: { ref: { kind: 'CouchDB', name: 'n', namespace: 'ns', future: true }, outputs: { a: 'b', n: 3 }, more: [] },
    });
    expect(parsed).to.not.equal(undefined);
    expect(parsed!.type).to.equal('dev.nimbus.couchdb.scaled');
    expect(eventPhase(parsed!)).to.equal(undefined);
    expect(parsed!.subject).to.equal('ns/n');
    expect(parsed!.data.outputs).to.deep.equal({ a: 'b' });
    expect(parsed!.data.generation).to.equal(0);
    expect(parsed).to.not.have.property('extra');
  });

  it('rejects what a consumer cannot act on', () => {
    expect(parseEvent('not json')).to.equal(undefined);
    expect(parseEvent('[]')).to.equal(undefined);
    expect(parseEvent({ id: 'x', type: 't', data: { ref: { name: 'n' } } })).to.equal(undefined);
    expect(parseEvent({ id: 'x', data: { ref: { kind: 'K', name: 'n' } } })).to.equal(undefined);
    expect(parseEvent(null)).to.equal(undefined);
  });
});
