import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { expect } from 'chai';
import { crdValidator } from '../../test/helpers/crd-validator.ts';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const validator = crdValidator(root('manifests/crds/couchdb.yaml'));
const check = (object: unknown) => validator(object).errors;
const cdb = (spec: unknown) => ({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', metadata: { name: 'a' }, spec });

describe('CouchDB CRD', () => {
  it('accepts the samples', () => {
    for (const sample of yaml.loadAll(readFileSync(root('manifests/samples/couchdb.yaml'), 'utf8'))) {
      expect(check(sample)).to.deep.equal([]);
    }
  });

  it('refuses replicas 2 with a message naming the field and the fix', () => {
    expect(check(cdb({ replicas: 2 }))).to.deep.equal([
      '.spec.replicas: spec.replicas must be 1 (single node) or 3 or more (a CouchDB cluster needs a quorum): set replicas to 1 or 3',
    ]);
    expect(check(cdb({ replicas: 3 }))).to.deep.equal([]);
  });

  it('refuses a negative storage size, a bad image reference, an unknown field and a bad database name', () => {
    expect(check(cdb({ storage: { size: '-1Gi' } })).join()).to.contain('/spec/storage/size');
    expect(check(cdb({ image: 'Not An Image' })).join()).to.contain('/spec/image');
    expect(check(cdb({ replica: 3 })).join()).to.contain('additional properties');
    expect(check(cdb({ databases: ['Orders'] })).join()).to.contain('/spec/databases/0');
  });

  it('defaults replicas, storage size and the pinned 3.x image', () => {
    const { errors, value } = validator(cdb({}));
    expect(errors).to.deep.equal([]);
    const spec = (value as { spec: { replicas: number; image: string; storage: { size: string; retainOnDelete: boolean } } }).spec;
    expect(spec.replicas).to.equal(1);
    expect(spec.storage).to.deep.equal({ size: '1Gi', retainOnDelete: false });
    expect(spec.image).to.match(/^couchdb:3\.\d+\.\d+$/);
  });
});
