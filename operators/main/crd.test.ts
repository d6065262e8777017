import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import type { KubeObject } from '#shared/kube/types.ts';
import { renderTenantCrd, tenantCrdFile } from './crd.ts';
import { admit, crdProblems, loadCrd, messages } from './testing/crd-admission.ts';

const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const crd = loadCrd(tenantCrdFile);

function tenant(spec: Record<string, unknown>, name = 'acme'): KubeObject {
  return { apiVersion: 'nimbus.dev/v1alpha1', kind: 'Tenant', metadata: { name }, spec };
}

describe('tenants.nimbus.dev CRD', () => {
  it('is up to date with the child CRDs (npx tsx operators/main/gen-crd.ts regenerates it)', () => {
    expect(readFileSync(`${root}/${tenantCrdFile}`, 'utf8')).to.equal(renderTenantCrd(root));
  });

  it('is a valid CRD', () => {
    expect(messages(crdProblems(crd))).to.equal('');
  });

  it('defaults every block to enabled, the child defaults included, and deletionPolicy to Delete', () => {
    const { object, causes } = admit(crd, tenant({}));
    expect(messages(causes)).to.equal('');
    const spec = object['spec'] as Record<string, Record<string, unknown>>;
    expect(spec['couchdb']?.['enabled']).to.equal(true);
    expect(spec['nats']?.['enabled']).to.equal(true);
    expect(spec['nats']?.['image']).to.equal('nats:2.10.22-alpine');
    expect(spec['openwhisk']?.['enabled']).to.equal(true);
    expect(spec['deletionPolicy']).to.equal('Delete');
  });

  it('applies the child rules inside the blocks', () => {
    expect(messages(admit(crd, tenant({ nats: { replicas: 2 } })).causes)).to.match(/spec\.nats\.replicas.*1, or 3 or more/);
  });

  it('refuses OpenWhisk without a CouchDB, and accepts it with an external one or disabled', () => {
    expect(messages(admit(crd, tenant({ couchdb: { enabled: false } })).causes)).to.match(/spec\.openwhisk needs a CouchDB/);
    const external = { couchdb: { enabled: false }, openwhisk: { couchdb: { url: 'https://couch.example.com', secretRef: { name: 'couch' } } } };
    expect(messages(admit(crd, tenant(external)).causes)).to.equal('');
    expect(messages(admit(crd, tenant({ couchdb: { enabled: false }, openwhisk: { enabled: false } })).causes)).to.equal('');
  });

  it('refuses names that cannot name a namespace, and a changed namespace', () => {
    expect(messages(admit(crd, tenant({}, 'a'.repeat(57))).causes)).to.match(/DNS label of at most 56/);
    const old = admit(crd, tenant({ namespace: 'acme' })).object;
    expect(messages(admit(crd, tenant({ namespace: 'other' }), old).causes)).to.match(/spec\.namespace cannot change/);
  });

  it('accepts quota quantities and refuses unknown deletion policies', () => {
    expect(messages(admit(crd, tenant({ quota: { cpu: '4', pods: 20, 'requests.storage': '10Gi' } })).causes)).to.equal('');
    expect(messages(admit(crd, tenant({ deletionPolicy: 'Orphan' })).causes)).to.match(/deletionPolicy/);
  });

  it('accepts the sample', () => {
    const sample = load(readFileSync(`${root}/manifests/samples/tenant.yaml`, 'utf8')) as KubeObject;
    expect(messages(admit(crd, sample).causes)).to.equal('');
  });
});
