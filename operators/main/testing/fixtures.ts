/** Test support: Tenants and observed children in the shapes the API server returns them. */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import type { Condition, KubeObject } from '#shared/kube/types.ts';
import type { TenantObserved } from '../credentials.ts';
import { childResource } from '../desired.ts';
import type { BlockName, Tenant, TenantSpec } from '../types.ts';

/** manifests/samples/tenant.yaml as the API server stores it (uid, generation). */
export function sampleTenant(): Tenant {
  const sample = load(readFileSync(new URL('../../../manifests/samples/tenant.yaml', import.meta.url), 'utf8')) as Tenant;
  return { ...sample, metadata: { ...sample.metadata, uid: 'uid-tenant-acme', generation: 1 } };
}

export function tenant(spec: TenantSpec = {}, extra: Partial<Tenant['metadata']> = {}): Tenant {
  return { apiVersion: 'nimbus.dev/v1alpha1', kind: 'Tenant', metadata: { name: 'acme', uid: 'uid-tenant-acme', generation: 1, ...extra }, spec };
}

function ready(status: 'True' | 'False', reason: string, message: string): Condition[] {
  return [{ type: 'Ready', status, reason, message, lastTransitionTime: '2026-01-01T00:00:00Z' }];
}

const readyStatus: Record<BlockName, Record<string, unknown>> = {
  couchdb: { endpoint: 'http://acme-couchdb.tenant-acme.svc:5984', secretName: 'acme-couchdb-admin' },
  nats: { url: 'nats://acme-nats.tenant-acme.svc:4222', secretName: 'acme-nats-user-acme' },
  openwhisk: { apiHost: 'http://acme-openwhisk.tenant-acme.svc:3233', authSecrets: { acme: 'acme-openwhisk-auth-acme' } },
};

/** A child CR of `t` as stored, with a status in `phase` (Ready adds the block's outputs). */
export function child(t: Tenant, block: BlockName, phase: string | undefined, options: { generation?: number; observedGeneration?: number; reason?: string; message?: string } = {}): KubeObject {
  const object = childResource(t, block);
  const generation = options.generation ?? 1;
  object.metadata = { ...object.metadata, uid: `uid-${block}`, generation };
  if (phase !== undefined) {
    const isReady = phase === 'Ready';
    object['status'] = {
      phase,
      observedGeneration: options.observedGeneration ?? generation,
      conditions: ready(isReady ? 'True' : 'False', options.reason ?? (isReady ? 'Ready' : 'Working'), options.message ?? `${block} is ${phase}`),
      ...(isReady ? readyStatus[block] : {}),
    };
  }
  return object;
}

function secret(name: string, data: Record<string, string>): KubeObject {
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'tenant-acme' }, data: encoded };
}

/** The children's credential Secrets, as their operators create them. */
export const childSecrets: Record<string, KubeObject> = {
  'acme-couchdb-admin': secret('acme-couchdb-admin', { username: 'admin', password: 'couch-pw' }),
  'acme-nats-user-acme': secret('acme-nats-user-acme', { username: 'acme', password: 'nats-pw' }),
  'acme-openwhisk-auth-acme': secret('acme-openwhisk-auth-acme', { auth: '23bc46b1-71f6-4ed5-8c54-816aa4f8c502:key' }),
};

export const namespaceObject: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-acme' }, status: { phase: 'Active' } };

/** Everything Ready: namespace, the three children with outputs, their Secrets (not yet the env Secret). */
export function allReady(t: Tenant): TenantObserved {
  return {
    namespace: namespaceObject,
    children: { couchdb: child(t, 'couchdb', 'Ready'), nats: child(t, 'nats', 'Ready'), openwhisk: child(t, 'openwhisk', 'Ready') },
    secrets: { ...childSecrets },
  };
}
