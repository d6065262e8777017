/**
 * What the OpenWhisk operator reads: its CouchDB (the object for `ref`, the credentials Secret for `url`), the auth
 * Secrets, the controller Deployment, the design documents' ConfigMap and the init Job of the current inputs (whose name depends on the auth Secrets,
 * so it is read last). Reads only; absent objects are `undefined`. Deployment and Job come from the controller's
 * caches (owned kinds), the rest from the caches of the controller's watches: its own auth Secrets as the cache has
 * them, what others write (the CouchDB, the user's Secret and ConfigMap) from the server while the cache lacks it,
 * and the CouchDB also while the cache does not show it Ready (the NATS event that made the main operator create
 * this OpenWhisk may be ahead of this process's watch).
 */
import { readOwnChild, readReferenced } from '#shared/component/reads.ts';
import type { Deps } from '#shared/controller/types.ts';
import type { Condition, KubeObject } from '#shared/kube/types.ts';
import { isConditionTrue } from '#shared/objects/index.ts';
import type { OpenWhiskObserved } from './desired.ts';
import { designDocumentsConfigMap } from './design-docs.ts';
import { initJobName } from './init-job.ts';
import { authSecretName, namespacesOf, openwhiskNames } from './names.ts';
import type { OpenWhisk } from './types.ts';

export async function observe(cr: OpenWhisk, deps: Pick<Deps, 'kube'>): Promise<OpenWhiskObserved> {
  const namespace = cr.metadata.namespace ?? 'default';
  const couchdb = cr.spec?.couchdb ?? {};
  const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', namespace, name });
  const designDocs = designDocumentsConfigMap(cr);
  const [couchdbObject, couchdbSecret, deployment, designDocuments, ...auths] = await Promise.all([
    couchdb.ref
      ? readReferenced(deps.kube, { apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', namespace, name: couchdb.ref.name }, couchdbReady)
      : undefined,
    couchdb.url && couchdb.secretRef ? readReferenced(deps.kube, secret(couchdb.secretRef.name)) : undefined,
    deps.kube.tryGet({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: openwhiskNames(cr).controller }),
    designDocs ? readReferenced(deps.kube, { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: designDocs }) : undefined,
    ...namespacesOf(cr).map((ns) => readOwnChild(deps.kube, secret(authSecretName(cr, ns)))),
  ]);
  const authSecrets: Record<string, KubeObject | undefined> = {};
  namespacesOf(cr).forEach((ns, i) => { authSecrets[ns] = auths[i]; });
  const observed: OpenWhiskObserved = { couchdb: couchdbObject, couchdbSecret, authSecrets, deployment, designDocuments };
  const jobName = initJobName(cr, observed);
  if (jobName) observed.initJob = await deps.kube.tryGet({ apiVersion: 'batch/v1', kind: 'Job', namespace, name: jobName });
  return observed;
}

/** A CouchDB whose status says Ready (what `couchdbAccess` needs). */
function couchdbReady(couchdb: KubeObject): boolean {
  const status = couchdb['status'] as { conditions?: Condition[] } | undefined;
  return isConditionTrue(status?.conditions, 'Ready');
}
