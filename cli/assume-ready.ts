/**
 * Made-up observed states for `nimbus render --assume-ready`: what each operator would read once the things it waits
 * for are ready, so the rendering also shows the objects applied only then (init Jobs, an OpenWhisk's children).
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { CouchDBObserved } from '#operators/couchdb/desired.ts';
import { adminSecretName, couchdbNames, endpointOf } from '#operators/couchdb/names.ts';
import { settingsOf, type CouchDB } from '#operators/couchdb/types.ts';
import type { OpenWhiskObserved } from '#operators/openwhisk/desired.ts';
import type { OpenWhisk } from '#operators/openwhisk/types.ts';

/** The CouchDB's StatefulSet with every replica ready. */
export function readyCouchDB(cr: CouchDB): CouchDBObserved {
  return {
    statefulSet: {
      apiVersion: 'apps/v1', kind: 'StatefulSet',
      metadata: { name: couchdbNames(cr).statefulSet, namespace: cr.metadata.namespace ?? 'default', generation: 1 },
      status: { observedGeneration: 1, replicas: settingsOf(cr).replicas, readyReplicas: settingsOf(cr).replicas },
    },
  };
}

/**
 * The OpenWhisk's CouchDB Ready (its `ref`, named the way the CouchDB operator names things) or its `url` Secret
 * present, and the auth Secrets it generates already created (`authSecrets`: namespace → Secret).
 */
export function readyOpenWhisk(cr: OpenWhisk, authSecrets: Record<string, KubeObject>): OpenWhiskObserved {
  const namespace = cr.metadata.namespace ?? 'default';
  const observed: OpenWhiskObserved = { authSecrets };
  const ref = cr.spec?.couchdb?.ref?.name;
  if (ref) {
    const couchdb: CouchDB = { apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', metadata: { name: ref, namespace } };
    observed.couchdb = {
      ...couchdb,
      status: {
        phase: 'Ready', endpoint: endpointOf(couchdb), secretName: adminSecretName(couchdb),
        conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: 'assumed', lastTransitionTime: new Date(0).toISOString() }],
      },
    };
  }
  const secretRef = cr.spec?.couchdb?.secretRef?.name;
  if (secretRef) observed.couchdbSecret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: secretRef, namespace } };
  return observed;
}
