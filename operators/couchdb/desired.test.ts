import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { desired, initJobName, type CouchDBObserved } from './desired.ts';
import { couchdb, secret, statefulSet } from './testing/fixtures.ts';
import { expectGolden, fakeRandom } from '../../test/helpers/golden.ts';
import { validateAll } from '../../test/helpers/kube-schema.ts';
import type { KubeObject } from '#shared/kube/types.ts';

import type { ComponentDefinition } from '#shared/component/types.ts';
import { observe } from './observe.ts';
import { status } from './status.ts';
import type { CouchDB } from './types.ts';

// Compile-time: the pure functions (and observe) fit the shared reconcile skeleton's contract.
const _fits: Pick<ComponentDefinition<CouchDB, CouchDBObserved>, 'observe' | 'desired' | 'status'> = { observe, desired, status };

const golden = (name: string) => fileURLToPath(new URL(`./testdata/${name}.golden.yaml`, import.meta.url));
const all = (d: { apply: KubeObject[]; createOnce: KubeObject[] }) => [...d.createOnce, ...d.apply];
const find = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);

describe('couchdb desired()', () => {
  it('renders a default single node, with the init Job once the StatefulSet is ready (golden)', () => {
    const cr = couchdb();
    const d = desired(cr, { statefulSet: statefulSet('acme-couchdb', 1) }, fakeRandom());
    validateAll(all(d));
    expectGolden(golden('single-node'), all(d));
  });

  it('renders a 3-node cluster with databases and a storage class (golden)', () => {
    const cr = couchdb({ replicas: 3, databases: ['orders', 'audit/log'], storage: { size: '5Gi', storageClassName: 'fast' } });
    const d = desired(cr, { statefulSet: statefulSet('acme-couchdb', 3) }, fakeRandom());
    validateAll(all(d));
    expectGolden(golden('cluster'), all(d));
    const script = JSON.stringify(find(d.apply, 'Job')[0]);
    expect(script).to.contain('finish_cluster').and.to.contain('add_node').and.to.contain("create_db 'audit%2Flog'");
  });

  it("uses the user's admin Secret as is and generates only the cluster Secret (golden)", () => {
    const cr = couchdb({ adminSecretRef: { name: 'my-admin' } });
    const observed = { statefulSet: statefulSet('acme-couchdb', 1), adminSecret: secret('my-admin', { username: 'u', password: 'p' }) };
    const d = desired(cr, observed, fakeRandom());
    validateAll(all(d));
    expectGolden(golden('admin-secret-ref'), all(d));
    expect(d.createOnce.map((s) => s.metadata.name)).to.deep.equal(['acme-couchdb-cluster']);
  });

  it('holds the init Job back until the StatefulSet is ready', () => {
    const cr = couchdb({ replicas: 3 });
    expect(find(desired(cr, {}).apply, 'Job')).to.have.length(0);
    expect(find(desired(cr, { statefulSet: statefulSet('acme-couchdb', 2) }).apply, 'Job')).to.have.length(0);
    // a StatefulSet whose controller has not seen the new spec yet is not ready either
    expect(find(desired(cr, { statefulSet: statefulSet('acme-couchdb', 3, 2, 1) }).apply, 'Job')).to.have.length(0);
  });

  it('owns and labels every child, and never applies a Secret (they are createOnce)', () => {
    const d = desired(couchdb(), { statefulSet: statefulSet('acme-couchdb', 1) });
    for (const object of all(d)) {
      expect(object.metadata.namespace).to.equal('tenant-acme');
      expect(object.metadata.ownerReferences).to.deep.equal([
        { apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', name: 'acme', uid: 'uid-acme', controller: true, blockOwnerDeletion: true },
      ]);
      expect(object.metadata.labels).to.include({ 'nimbus.dev/tenant': 'acme', 'app.kubernetes.io/managed-by': 'nimbus-couchdb' });
    }
    expect(find(d.apply, 'Secret')).to.have.length(0);
    expect(find(d.createOnce, 'Secret')).to.have.length(2);
  });

  it('names a new init Job when databases or replicas change, the same one otherwise', () => {
    const base = initJobName(couchdb({ databases: ['a'] }));
    expect(base).to.match(/^acme-couchdb-init-[0-9a-f]{8}$/);
    expect(initJobName(couchdb({ databases: ['a'] }, 'acme', 7))).to.equal(base);
    expect(initJobName(couchdb({ databases: ['a'], resources: { limits: { memory: '2Gi' } } }))).to.equal(base);
    expect(initJobName(couchdb({ databases: ['a', 'b'] }))).to.not.equal(base);
    expect(initJobName(couchdb({ databases: ['a'], replicas: 3 }))).to.not.equal(base);
  });

  it('generates strong random credentials with crypto by default', () => {
    const [admin] = desired(couchdb(), {}).createOnce;
    const password = JSON.stringify(admin).match(/"password":"([^"]+)"/)?.[1] ?? '';
    expect(password).to.not.equal('');
    const [again] = desired(couchdb(), {}).createOnce;
    expect(JSON.stringify(again)).to.not.equal(JSON.stringify(admin));
  });

  it('omits storageClassName when not set and rolls pods when the config changes', () => {
    const single = find(desired(couchdb(), {}).apply, 'StatefulSet')[0]!;
    expect(JSON.stringify(single)).to.not.contain('storageClassName');
    const cluster = find(desired(couchdb({ replicas: 3 }), {}).apply, 'StatefulSet')[0]!;
    const hash = (o: KubeObject) => JSON.stringify(o).match(/"nimbus.dev\/config-hash":"([0-9a-f]+)"/)?.[1];
    expect(hash(single)).to.be.a('string').and.to.not.equal(hash(cluster));
  });
});
