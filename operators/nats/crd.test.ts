import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import type { KubeObject } from '#shared/kube/types.ts';
import { admit, crdProblems, loadCrd, messages } from '../main/testing/crd-admission.ts';
import { resolveSpec } from './spec.ts';

const crd = loadCrd('manifests/crds/natscluster.yaml');

function nats(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'nimbus.dev/v1alpha1', kind: 'NatsCluster', metadata: { name: 'acme', namespace: 'tenant-acme' }, spec };
}

describe('natsclusters.nimbus.dev CRD', () => {
  it('is a valid CRD', () => {
    expect(messages(crdProblems(crd))).to.equal('');
  });

  it('defaults an empty spec the same way resolveSpec does', () => {
    const { object, causes } = admit(crd, nats({}));
    expect(messages(causes)).to.equal('');
    expect(object['spec']).to.deep.equal({
      replicas: 1,
      image: 'nats:2.10.22-alpine',
      jetstream: { enabled: true, storage: { size: '1Gi', retainOnDelete: false }, memory: '256Mi' },
      monitoring: { port: 8222 },
    });
    const fromDefaults = resolveSpec({ ...object, metadata: { name: 'acme' } });
    const fromCode = resolveSpec({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'NatsCluster', metadata: { name: 'acme' } });
    expect(fromDefaults).to.deep.equal(fromCode);
  });

  it('refuses 2 replicas with a message naming the fix', () => {
    const { causes } = admit(crd, nats({ replicas: 2 }));
    expect(messages(causes)).to.match(/spec\.replicas must be 1, or 3 or more/);
    expect(messages(admit(crd, nats({ replicas: 3 })).causes)).to.equal('');
  });

  it('refuses a monitoring port that collides with the client port, and bad sizes', () => {
    expect(messages(admit(crd, nats({ monitoring: { port: 4222 } })).causes)).to.match(/must differ from the client/);
    expect(messages(admit(crd, nats({ jetstream: { memory: 'lots' } })).causes)).to.match(/jetstream\.memory/);
  });

  it('refuses resizing JetStream storage after creation', () => {
    const old = admit(crd, nats({ jetstream: { storage: { size: '1Gi' } } })).object;
    const { causes } = admit(crd, nats({ jetstream: { storage: { size: '2Gi' } } }), old);
    expect(messages(causes)).to.match(/cannot change after creation/);
  });

  // (Duplicate user names are refused by a real API server through x-kubernetes-list-type: map; the sim does not
  // check list-map keys, and resolveSpec lets the last entry win.)
  it('refuses badly named users', () => {
    expect(messages(admit(crd, nats({ users: [{ name: 'Bad User' }] })).causes)).to.match(/spec\.users.*name.*Bad User/);
  });

  it('accepts the sample', () => {
    const sample = load(readFileSync(new URL('../../manifests/samples/natscluster.yaml', import.meta.url), 'utf8')) as KubeObject;
    expect(messages(admit(crd, sample).causes)).to.equal('');
  });
});
