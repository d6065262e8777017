import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { StatusError } from '#sim/types.ts';
import { thrownBy } from '../../test/helpers/thrown.ts';
import { applyPatch } from './index.ts';

const cm = (): KubeObject => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns', labels: { x: '1' } },
  data: { a: '1', b: '2' },
});


describe('applyPatch', () => {
  it('JSON patch: add, replace, remove (configmap-json-patch step 3)', () => {
    const body = JSON.stringify([
      { op: 'add', path: '/data/c', value: '3' }, { op: 'replace', path: '/data/a', value: '10' },
      { op: 'remove', path: '/data/b' }, { op: 'add', path: '/metadata/labels', value: { patched: 'yes' } },
    ]);
    const out = applyPatch(cm(), body, 'application/json-patch+json', 'ConfigMap');
    expect(out.data).to.deep.equal({ a: '10', c: '3' });
    expect(out.metadata.labels).to.deep.equal({ patched: 'yes' });
  });

  it('JSON patch: a failing test op and a missing path are the real generic 422', () => {
    const live = cm();
    for (const ops of [[{ op: 'test', path: '/data/a', value: 'wrong' }], [{ op: 'remove', path: '/data/nothere' }]]) {
      const err = thrownBy(StatusError, () => applyPatch(live, JSON.stringify(ops), 'application/json-patch+json', 'ConfigMap'));
      expect(err.body).to.deep.equal({
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
        message: 'the server rejected our request due to an error in our request', reason: 'Invalid', details: {}, code: 422,
      });
    }
    expect(live.data).to.deep.equal({ a: '1', b: '2' });
  });

  it('merge patch: null deletes, labels merge, resourceVersion is carried for the precondition', () => {
    const body = JSON.stringify({ data: { b: '20', c: '3', a: null }, metadata: { labels: { y: '2' }, resourceVersion: '1' } });
    const out = applyPatch(cm(), body, 'application/merge-patch+json; charset=utf-8', 'ConfigMap');
    expect(out.data).to.deep.equal({ b: '20', c: '3' });
    expect(out.metadata.labels).to.deep.equal({ x: '1', y: '2' });
    expect(out.metadata.resourceVersion).to.equal('1');
  });

  it('non-patch content types are 415 with the built-in message', () => {
    for (const type of ['text/plain', 'application/json']) {
      const err = thrownBy(StatusError, () => applyPatch(cm(), '{"data":{"a":"2"}}', type, 'ConfigMap'));
      expect(err.body).to.deep.include({ code: 415, reason: 'UnsupportedMediaType', message: '415: Unsupported Media Type' });
      expect(err.body.details).to.deep.equal({});
    }
  });

  it('strategic merge on a custom resource is 415 with the accepted types, JSON patch works', () => {
    const widget: KubeObject = { apiVersion: 'update.c-conformance.example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } };
    const err = thrownBy(StatusError, () => applyPatch(widget, '{"spec":{"size":5}}', 'application/strategic-merge-patch+json', 'Widget'));
    expect(err.body.code).to.equal(415);
    expect(err.body.message).to.equal('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
    expect(err.body).not.to.have.property('details');
    const out = applyPatch(widget, '[{"op":"replace","path":"/spec/size","value":4}]', 'application/json-patch+json', 'Widget');
    expect(out.spec).to.deep.equal({ size: 4 });
  });

  it('malformed JSON is 400 BadRequest', () => {
    const err = thrownBy(StatusError, () => applyPatch(cm(), '{"data":', 'application/merge-patch+json', 'ConfigMap'));
    expect(err.body).to.deep.include({ code: 400, reason: 'BadRequest' });
  });
});
