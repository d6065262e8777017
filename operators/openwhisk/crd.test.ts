import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { expect } from 'chai';
import { crdValidator } from '../../test/helpers/crd-validator.ts';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const validator = crdValidator(root('manifests/crds/openwhisk.yaml'));
const check = (object: unknown) => validator(object).errors;
const ow = (spec: unknown) => ({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'OpenWhisk', metadata: { name: 'a' }, spec });

describe('OpenWhisk CRD', () => {
  it('accepts the samples', () => {
    for (const sample of yaml.loadAll(readFileSync(root('manifests/samples/openwhisk.yaml'), 'utf8'))) {
      if ((sample as { kind: string }).kind !== 'OpenWhisk') continue;
      expect(check(sample)).to.deep.equal([]);
    }
  });

  it('refuses both ref and url, and neither, naming the field', () => {
    const both = check(ow({ couchdb: { ref: { name: 'c' }, url: 'http://c:5984', secretRef: { name: 's' } } }));
    expect(both.join()).to.contain('spec.couchdb: set exactly one of ref').and.to.contain('secretRef is only used with spec.couchdb.url');
    expect(check(ow({ couchdb: {} })).join()).to.contain('spec.couchdb: set exactly one of ref');
    expect(check(ow({})).join()).to.contain("must have required property 'couchdb'");
  });

  it('requires secretRef with url', () => {
    expect(check(ow({ couchdb: { url: 'http://c:5984' } })).join()).to.contain('spec.couchdb.secretRef is required with spec.couchdb.url');
    expect(check(ow({ couchdb: { url: 'http://c:5984', secretRef: { name: 's' } } }))).to.deep.equal([]);
  });

  it('refuses limits out of range and bad namespace names', () => {
    expect(check(ow({ couchdb: { ref: { name: 'c' } }, limits: { actionMemoryMax: 64 } })).join()).to.contain('/spec/limits/actionMemoryMax');
    expect(check(ow({ couchdb: { ref: { name: 'c' } }, limits: { invocationsPerMinute: 0 } })).join()).to.contain('/spec/limits/invocationsPerMinute');
    expect(check(ow({ couchdb: { ref: { name: 'c' } }, namespaces: ['Bad_Name'] })).join()).to.contain('/spec/namespaces/0');
  });

  it('takes designDocuments.configMapRef.name, and refuses it without a name', () => {
    expect(check(ow({ couchdb: { ref: { name: 'c' } }, designDocuments: { configMapRef: { name: 'ow-ddocs' } } }))).to.deep.equal([]);
    expect(check(ow({ couchdb: { ref: { name: 'c' } }, designDocuments: { configMapRef: {} } })).join()).to.contain("required property 'name'");
    expect(check(ow({ couchdb: { ref: { name: 'c' } }, designDocuments: {} })).join()).to.contain("required property 'configMapRef'");
  });

  it('defaults the image and the limits', () => {
    const { errors, value } = validator(ow({ couchdb: { ref: { name: 'c' } } }));
    expect(errors).to.deep.equal([]);
    const spec = (value as { spec: { image: string; limits: Record<string, number> } }).spec;
    expect(spec.image).to.equal('ghcr.io/nuvolaris/openwhisk-controller:0.3.0-morpheus.22122609');
    expect(spec.limits).to.deep.equal({
      invocationsPerMinute: 60, concurrentInvocations: 30, firesPerMinute: 60, sequenceMaxLength: 50, actionMemoryMax: 512, actionTimeoutMax: 300,
    });
  });
});
