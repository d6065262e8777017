/**
 * What the CouchDB operator reads before computing desired state and status: the StatefulSet, the init Job of the
 * current inputs, and the admin Secret in use. Reads only; absent objects are `undefined`. The StatefulSet and Job
 * come from the controller's caches (owned kinds); the admin Secret from the cache of the Secret watch: the
 * generated one as the cache has it, the user's (`adminSecretRef`) from the server while the cache lacks it.
 */
import { readOwnChild, readReferenced } from '#shared/component/reads.ts';
import type { Deps } from '#shared/controller/types.ts';
import type { CouchDBObserved } from './desired.ts';
import { initJobName } from './init-job.ts';
import { adminSecretName, couchdbNames } from './names.ts';
import type { CouchDB } from './types.ts';

export async function observe(cr: CouchDB, deps: Pick<Deps, 'kube'>): Promise<CouchDBObserved> {
  const namespace = cr.metadata.namespace ?? 'default';
  const secretRef = { apiVersion: 'v1', kind: 'Secret', namespace, name: adminSecretName(cr) };
  const [statefulSet, initJob, adminSecret] = await Promise.all([
    deps.kube.tryGet({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace, name: couchdbNames(cr).statefulSet }),
    deps.kube.tryGet({ apiVersion: 'batch/v1', kind: 'Job', namespace, name: initJobName(cr) }),
    cr.spec?.adminSecretRef?.name ? readReferenced(deps.kube, secretRef) : readOwnChild(deps.kube, secretRef),
  ]);
  return { statefulSet, initJob, adminSecret };
}
