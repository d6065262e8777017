/** OpenWhisk CRs and observed objects shared by the openwhisk tests. */
import type { KubeObject } from '#shared/kube/types.ts';
import { authSecretName } from '../names.ts';
import type { OpenWhisk, OpenWhiskSpec } from '../types.ts';

export function openwhisk(spec: OpenWhiskSpec = { couchdb: { ref: { name: 'acme' } } }, generation = 1): OpenWhisk {
  return {
    apiVersion: 'nimbus.dev/v1alpha1',
    kind: 'OpenWhisk',
    metadata: { name: 'acme', namespace: 'tenant-acme', uid: 'uid-ow', generation, labels: { 'nimbus.dev/tenant': 'acme' } },
    spec,
  };
}

/** A CouchDB object as the couchdb operator leaves it. */
export function couchdbObject(ready: boolean): KubeObject {
  return {
    apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', metadata: { name: 'acme', namespace: 'tenant-acme', uid: 'uid-acme' },
    status: {
      phase: ready ? 'Ready' : 'Provisioning',
      endpoint: 'http://acme-couchdb.tenant-acme.svc:5984',
      secretName: 'acme-couchdb-admin',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'Ready' : 'InitJobRunning', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' }],
    },
  };
}

/** Auth Secrets as read from the API, with fixed (fake) keys. */
export function authSecrets(cr: OpenWhisk, namespaces: string[]): Record<string, KubeObject> {
  return Object.fromEntries(namespaces.map((ns, i) => {
    const auth = `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000:${'k'.repeat(63)}${i}`;
    const secret: KubeObject = {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: authSecretName(cr, ns), namespace: 'tenant-acme' },
      data: { auth: Buffer.from(auth).toString('base64') },
    };
    return [ns, secret];
  }));
}

export function deployment(ready: boolean): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'acme-openwhisk', namespace: 'tenant-acme', generation: 1 },
    status: { observedGeneration: 1, readyReplicas: ready ? 1 : 0 },
  };
}

export function userSecret(): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ext-couch', namespace: 'tenant-acme' }, data: { user: 'dQ==', pass: 'cA==' } };
}

/** A user's design-documents ConfigMap with one tiny, test-authored document per database. */
export function designDocsConfigMap(name = 'ow-design-docs', view = 'all'): KubeObject {
  const doc = (id: string) => `{ "_id": "_design/${id}", "views": { "${view}": { "map": "function (doc) { emit(doc._id, 1); }" } } }`;
  return {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'tenant-acme' },
    data: { 'subjects--test.json': doc('test'), 'whisks--test.json': doc('test'), 'activations--test.json': doc('test') },
  };
}
