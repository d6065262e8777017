/** CouchDB CRs and observed objects shared by the couchdb tests. */
import type { KubeObject } from '#shared/kube/types.ts';
import type { CouchDB, CouchDBSpec } from '../types.ts';

/** A CouchDB as read from the API (it has a uid), owned by tenant `acme`. */
export function couchdb(spec: CouchDBSpec = {}, name = 'acme', generation = 1): CouchDB {
  return {
    apiVersion: 'nimbus.dev/v1alpha1',
    kind: 'CouchDB',
    metadata: {
      name, namespace: 'tenant-acme', uid: `uid-${name}`, generation, labels: { 'nimbus.dev/tenant': 'acme' },
    },
    spec,
  };
}

/** A StatefulSet as the API would show it, with `ready` of its replicas ready. */
export function statefulSet(name: string, ready: number, generation = 1, observedGeneration = generation): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'tenant-acme', generation },
    status: { observedGeneration, readyReplicas: ready, replicas: ready },
  };
}

/** A Job in one of its states. */
export function job(name: string, state: 'running' | 'complete' | 'failed', message = 'Job has reached the specified backoff limit'): KubeObject {
  const conditions = state === 'complete'
    ? [{ type: 'Complete', status: 'True' }]
    : state === 'failed' ? [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message }] : [];
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'tenant-acme' }, status: { conditions } };
}

export function secret(name: string, data: Record<string, string>): KubeObject {
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'tenant-acme' }, data: encoded };
}
