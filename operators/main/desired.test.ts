import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { dump } from 'js-yaml';
import type { KubeObject } from '#shared/kube/types.ts';
import { secretValue } from './credentials.ts';
import { childResource, childSpec, envSecret, namespaceObjects, stepObjects, tenantNamespace } from './desired.ts';
import { enabledSteps } from './graph.ts';
import { validateBuiltIn } from '../../test/helpers/kube-schema.ts';
import { admit, loadCrd, messages } from './testing/crd-admission.ts';
import { allReady, child, sampleTenant, tenant } from './testing/fixtures.ts';

function secretOf(result: ReturnType<typeof envSecret>): KubeObject {
  if (!('secret' in result)) throw new Error(`no secret: ${result.waitingFor}`);
  return result.secret;
}

describe('Tenant desired objects', () => {
  it('renders the sample tenant as the golden file (UPDATE_GOLDEN=1 regenerates)', () => {
    const t = sampleTenant();
    const observed = allReady(t);
    const objects = enabledSteps(t.spec).flatMap((step) => {
      const result = stepObjects(step, t, observed);
      if (!('objects' in result)) throw new Error(`${step} waits for ${result.waitingFor}`);
      return result.objects;
    });
    for (const object of objects) validateBuiltIn(object);
    const text = objects.map((o) => dump(o, { lineWidth: 120, noRefs: true })).join('---\n');
    const golden = new URL('./testdata/acme.golden.yaml', import.meta.url);
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, text);
    expect(text).to.equal(readFileSync(golden, 'utf8'));
  });

  it('renders children that their own CRDs accept, from the sample as the API server stores it', () => {
    const stored = admit(loadCrd('manifests/crds/tenant.yaml'), sampleTenant()).object as ReturnType<typeof sampleTenant>;
    const files = { couchdb: 'couchdb.yaml', nats: 'natscluster.yaml', openwhisk: 'openwhisk.yaml' } as const;
    for (const block of ['couchdb', 'nats', 'openwhisk'] as const) {
      const { causes } = admit(loadCrd(`manifests/crds/${files[block]}`), childResource(stored, block));
      expect(messages(causes), block).to.equal('');
    }
  });

  it('puts the namespace under the Tenant, labelled, with quota and isolation', () => {
    const t = tenant({ displayName: 'ACME', quota: { cpu: '4', pods: 20 } });
    const [ns, quota, policy] = namespaceObjects(t);
    expect(ns?.metadata).to.deep.include({ name: 'tenant-acme' });
    expect(ns?.metadata.labels?.['nimbus.dev/tenant']).to.equal('acme');
    expect(ns?.metadata.annotations).to.deep.equal({ 'nimbus.dev/display-name': 'ACME' });
    expect(ns?.metadata.ownerReferences?.[0]).to.include({ kind: 'Tenant', name: 'acme', uid: 'uid-tenant-acme', controller: true });
    expect(quota?.['spec']).to.deep.equal({ hard: { cpu: '4', pods: '20' } });
    expect(policy?.['spec']).to.deep.equal({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
  });

  it('omits the ResourceQuota without spec.quota and honours spec.namespace', () => {
    const t = tenant({ namespace: 'acme-prod' });
    expect(namespaceObjects(t).map((o) => o.kind)).to.deep.equal(['Namespace', 'NetworkPolicy']);
    expect(tenantNamespace(t)).to.equal('acme-prod');
    expect(childResource(t, 'nats').metadata.namespace).to.equal('acme-prod');
  });

  it('passes each block through as the child spec, minus enabled', () => {
    const t = tenant({ nats: { enabled: true, replicas: 3, users: [{ name: 'admin' }] } });
    const nats = childResource(t, 'nats');
    expect(nats).to.deep.include({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'NatsCluster' });
    expect(nats.metadata).to.deep.include({ name: 'acme', namespace: 'tenant-acme' });
    expect(nats.metadata.labels?.['nimbus.dev/tenant']).to.equal('acme');
    expect(nats['spec']).to.deep.equal({ replicas: 3, users: [{ name: 'admin' }] });
  });

  it("points OpenWhisk at the tenant's CouchDB unless an external one is given", () => {
    expect(childSpec(tenant({}), 'openwhisk')).to.deep.equal({ couchdb: { ref: { name: 'acme' } } });
    const external = { url: 'https://couch.example.com', secretRef: { name: 'couch' } };
    expect(childSpec(tenant({ openwhisk: { couchdb: external } }), 'openwhisk')).to.deep.equal({ couchdb: external });
  });

  it('makes deletionPolicy Retain keep the data volumes of CouchDB and NATS', () => {
    const t = tenant({ deletionPolicy: 'Retain', couchdb: { storage: { size: '2Gi', retainOnDelete: false } } });
    expect(childSpec(t, 'couchdb')).to.deep.equal({ storage: { size: '2Gi', retainOnDelete: true } });
    expect(childSpec(t, 'nats')).to.deep.equal({ jetstream: { storage: { retainOnDelete: true } } });
    expect(childSpec(tenant({ deletionPolicy: 'Delete' }), 'couchdb')).to.deep.equal({});
  });

  it('builds <tenant>-env from the children statuses and Secrets', () => {
    const t = tenant({});
    const secret = secretOf(envSecret(t, allReady(t)));
    expect(secret.metadata).to.deep.include({ name: 'acme-env', namespace: 'tenant-acme' });
    const values = Object.fromEntries(Object.keys(secret['data'] as object).map((k) => [k, secretValue(secret, k)]));
    expect(values).to.deep.equal({
      COUCHDB_URL: 'http://acme-couchdb.tenant-acme.svc:5984',
      COUCHDB_USER: 'admin',
      COUCHDB_PASSWORD: 'couch-pw',
      NATS_URL: 'nats://acme-nats.tenant-acme.svc:4222',
      NATS_USER: 'acme',
      NATS_PASSWORD: 'nats-pw',
      OW_APIHOST: 'http://acme-openwhisk.tenant-acme.svc:3233',
      OW_AUTH: '23bc46b1-71f6-4ed5-8c54-816aa4f8c502:key',
    });
    validateBuiltIn(secret);
  });

  it('leaves out the keys of disabled blocks', () => {
    const t = tenant({ nats: { enabled: false } });
    const observed = allReady(t);
    delete observed.children.nats;
    expect(Object.keys(secretOf(envSecret(t, observed))['data'] as object)).to.not.include('NATS_URL');
  });

  it('waits, naming what is missing, until every value can be read', () => {
    const t = tenant({});
    const observed = allReady(t);
    observed.children.nats = child(t, 'nats', 'Provisioning');
    expect(envSecret(t, observed)).to.deep.equal({ waitingFor: 'NatsCluster acme has no status.url yet' });
    const noSecret = allReady(t);
    noSecret.secrets = { ...noSecret.secrets, 'acme-couchdb-admin': undefined };
    expect(envSecret(t, noSecret)).to.have.property('waitingFor').that.matches(/acme-couchdb-admin/);
  });
});
