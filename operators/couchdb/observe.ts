/**
 * What the CouchDB operator reads before computing desired state and status: the StatefulSet, the init Job of the
 * current inputs, and the admin Secret in use. Reads only; absent objects are `undefined`.
 */
import type { Deps } from '#shared/controller/types.ts';
import type { CouchDBObserved } from './desired.ts';
import { initJobName } from './init-job.ts';
import { adminSecretName, couchdbNames } from './names.ts';
import type { CouchDB } from './types.ts';

export async function observe(cr: CouchDB, deps: Pick<Deps, 'kube'>): Promise<CouchDBObserved> {
  const namespace = cr.metadata.namespace ?? 'default';
  const [statefulSet, initJob, adminSecret] = await Promise.all([
    deps.kube.tryGet({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace, name: couchdbNames(cr).statefulSet }),
    deps.kube.tryGet({ apiVersion: 'batch/v1', kind: 'Job', namespace, name: initJobName(cr) }),
    deps.kube.tryGet({ apiVersion: 'v1', kind: 'Secret', namespace, name: adminSecretName(cr) }),
  ]);
  return { statefulSet, initJob, adminSecret };
}
