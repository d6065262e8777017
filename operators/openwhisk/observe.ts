/**
 * What the OpenWhisk operator reads: its CouchDB (the object for `ref`, the credentials Secret for `url`), the auth
 * Secrets, the controller Deployment, the design documents' ConfigMap and the init Job of the current inputs (whose name depends on the auth Secrets,
 * so it is read last). Reads only; absent objects are `undefined`.
 */
import type { Deps } from '#shared/controller/types.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import type { OpenWhiskObserved } from './desired.ts';
import { designDocumentsConfigMap } from './design-docs.ts';
import { initJobName } from './init-job.ts';
import { authSecretName, namespacesOf, openwhiskNames } from './names.ts';
import type { OpenWhisk } from './types.ts';

export async function observe(cr: OpenWhisk, deps: Pick<Deps, 'kube'>): Promise<OpenWhiskObserved> {
  const namespace = cr.metadata.namespace ?? 'default';
  const couchdb = cr.spec?.couchdb ?? {};
  const secret = (name: string) => deps.kube.tryGet({ apiVersion: 'v1', kind: 'Secret', namespace, name });
  const designDocs = designDocumentsConfigMap(cr);
  const [couchdbObject, couchdbSecret, deployment, designDocuments, ...auths] = await Promise.all([
    couchdb.ref ? deps.kube.tryGet({ apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', namespace, name: couchdb.ref.name }) : undefined,
    couchdb.url && couchdb.secretRef ? secret(couchdb.secretRef.name) : undefined,
    deps.kube.tryGet({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: openwhiskNames(cr).controller }),
    designDocs ? deps.kube.tryGet({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: designDocs }) : undefined,
    ...namespacesOf(cr).map((ns) => secret(authSecretName(cr, ns))),
  ]);
  const authSecrets: Record<string, KubeObject | undefined> = {};
  namespacesOf(cr).forEach((ns, i) => { authSecrets[ns] = auths[i]; });
  const observed: OpenWhiskObserved = { couchdb: couchdbObject, couchdbSecret, authSecrets, deployment, designDocuments };
  const jobName = initJobName(cr, observed);
  if (jobName) observed.initJob = await deps.kube.tryGet({ apiVersion: 'batch/v1', kind: 'Job', namespace, name: jobName });
  return observed;
}
