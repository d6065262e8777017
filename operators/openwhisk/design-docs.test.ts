import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { designDocPlan, designDocumentsConfigMap } from './design-docs.ts';
import { openwhisk } from './testing/fixtures.ts';

const configMap = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dd' }, data });

describe('openwhisk designDocPlan()', () => {
  it('maps <database>--<name>.json keys to their database, the _id from the document or the key', () => {
    const plan = designDocPlan(configMap({
      'whisks--a.json': '{"_id":"_design/whisks.v2.1.0","views":{}}',
      'subjects--snapshotFilters.json': '{\n"filters":{}\n}',
      'notes.md': 'ignored',
    }));
    expect(plan.docs).to.deep.equal([
      { database: 'subjects', id: '_design/snapshotFilters', file: 'subjects--snapshotFilters.json' },
      { database: 'whisks', id: '_design/whisks.v2.1.0', file: 'whisks--a.json' },
    ]);
    expect(plan.problems).to.deep.equal([]);
  });

  it('skips and names keys it cannot write: wrong prefix, not an object, empty, bad _id', () => {
    const plan = designDocPlan(configMap({
      'entities--x.json': '{"views":{}}', 'whisks--y.json': '[1]', 'whisks--z.json': '{}', 'whisks--w.json': '{"_id":"w"}',
      'activations--ok.json': '{"views":{}}',
    }));
    expect(plan.docs.map((d) => d.file)).to.deep.equal(['activations--ok.json']);
    expect(plan.problems.map((p) => p.split(':')[0])).to.deep.equal(['entities--x.json', 'whisks--w.json', 'whisks--y.json', 'whisks--z.json']);
  });

  it('hashes the contents (a changed document reruns the init Job) and is empty without a ConfigMap', () => {
    const a = designDocPlan(configMap({ 'whisks--a.json': '{"views":{}}' }));
    const b = designDocPlan(configMap({ 'whisks--a.json': '{"views":{"v":{}}}' }));
    expect(a.hash).not.to.equal(b.hash);
    expect(designDocPlan(undefined).docs).to.deep.equal([]);
    expect(designDocumentsConfigMap(openwhisk())).to.equal(undefined);
    expect(designDocumentsConfigMap(openwhisk({ couchdb: { ref: { name: 'acme' } }, designDocuments: { configMapRef: { name: 'dd' } } }))).to.equal('dd');
  });
});
