/**
 * Tenant deletion, behind the `nimbus.dev/main` finalizer: children go in reverse dependency order (credentials →
 * openwhisk → {couchdb, nats} → namespace), each waited for (its own operator's finalizer runs first, so its `deleted`
 * event or its disappearance is what moves this on). `deletionPolicy: Retain` keeps the data volumes: the children
 * are told to retain them, and the namespace that holds them is released (owner reference removed, labelled
 * `nimbus.dev/retained=true`) instead of deleted, with an Event naming the volumes kept.
 */
import { recordEvent } from '#shared/controller/events.ts';
import { removeFinalizer } from '#shared/controller/finalizer.ts';
import { done, requeueAfter, type Deps, type ReconcileResult } from '#shared/controller/types.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import { publishTenantEvent, reportingController } from './announce.ts';
import { envSecretName, type TenantObserved } from './credentials.ts';
import { childResource, tenantNamespace } from './desired.ts';
import { deletableSteps, tenantGraph } from './graph.ts';
import { blockNames, type StepName, type Tenant } from './types.ts';

export const mainFinalizer = 'nimbus.dev/main';
export const retainedLabel = 'nimbus.dev/retained';

function ownedBy(object: KubeObject | undefined, tenant: Tenant): boolean {
  return (object?.metadata.ownerReferences ?? []).some((r) => r.uid === tenant.metadata.uid);
}

/** The steps whose objects still exist (a released namespace no longer counts: it is not the tenant's any more). */
export function presentSteps(tenant: Tenant, observed: TenantObserved): Set<StepName> {
  const present = new Set<StepName>();
  if (observed.namespace && (tenant.spec?.deletionPolicy !== 'Retain' || ownedBy(observed.namespace, tenant))) present.add('namespace');
  for (const block of blockNames) if (observed.children[block]) present.add(block);
  if (observed.secrets[envSecretName(tenant)]) present.add('credentials');
  return present;
}

async function releaseNamespace(tenant: Tenant, namespace: KubeObject, deps: Deps): Promise<void> {
  const name = namespace.metadata.name ?? '';
  const ownerReferences = (namespace.metadata.ownerReferences ?? []).filter((r) => r.uid !== tenant.metadata.uid);
  await deps.kube.patch({ apiVersion: 'v1', kind: 'Namespace', name }, {
    metadata: { resourceVersion: namespace.metadata.resourceVersion, ownerReferences, labels: { [retainedLabel]: 'true' } },
  }, 'merge');
  const claims = await deps.kube.list({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: name });
  const kept = claims.items.map((c) => c.metadata.name ?? '').sort();
  await recordEvent(deps.kube, tenant, {
    type: 'Normal', reason: 'VolumesRetained',
    message: `deletionPolicy Retain: kept Namespace ${name} (label ${retainedLabel}=true) with ${kept.length} PersistentVolumeClaim(s)${kept.length ? `: ${kept.join(', ')}` : ''}`,
    reportingController,
  }, deps.log, deps.clock);
}

/** Deletes what may go now; returns true when nothing is left. */
async function deleteStep(step: StepName, tenant: Tenant, observed: TenantObserved, deps: Deps): Promise<void> {
  const namespace = tenantNamespace(tenant);
  const retain = tenant.spec?.deletionPolicy === 'Retain';
  switch (step) {
    case 'credentials':
      await deps.kube.delete({ apiVersion: 'v1', kind: 'Secret', namespace, name: envSecretName(tenant) });
      return;
    case 'couchdb':
    case 'nats':
    case 'openwhisk': {
      const child = observed.children[step];
      if (!child || child.metadata.deletionTimestamp) return;
      // Retain: make sure the child knows before it goes (its cleanup reads retainOnDelete from the stored spec).
      if (retain && step !== 'openwhisk') await deps.kube.apply(childResource(tenant, step));
      await deps.kube.delete({ apiVersion: child.apiVersion, kind: child.kind, namespace, name: child.metadata.name ?? '' });
      return;
    }
    case 'namespace': {
      const object = observed.namespace;
      if (!object) return;
      if (retain) await releaseNamespace(tenant, object, deps);
      else if (!object.metadata.deletionTimestamp) await deps.kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
    }
  }
}

/**
 * One deletion pass: delete what may go now, requeue while anything is left, then announce and drop the finalizer.
 * The caller has written the Deleting status already.
 */
export async function deleteTenant(tenant: Tenant, observed: TenantObserved, deps: Deps, pollMs: number): Promise<ReconcileResult> {
  const present = presentSteps(tenant, observed);
  if (present.size > 0) {
    for (const step of deletableSteps(tenantGraph, present)) await deleteStep(step, tenant, observed, deps);
    return requeueAfter(pollMs);
  }
  publishTenantEvent(deps, tenant, 'deleted', 'Deleted', `Tenant ${tenant.metadata.name ?? ''} deleted`);
  await removeFinalizer(deps.kube, tenant, mainFinalizer);
  deps.log.info({ tenant: tenant.metadata.name }, 'tenant deleted, finalizer removed');
  return done;
}
