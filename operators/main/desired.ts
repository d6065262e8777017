/**
 * Pure builders of what each onboarding step applies: the namespace step (Namespace, ResourceQuota,
 * NetworkPolicy), the component CRs (the Tenant's block passed through), and the `<tenant>-env` Secret.
 * Every object carries the `nimbus.dev/tenant` label and an owner reference to the Tenant.
 */
import { fileURLToPath } from 'node:url';
import type { KubeObject, OwnerReference } from '#shared/kube/types.ts';
import { childName, controllerReference, nimbusLabels } from '#shared/objects/index.ts';
import { renderTemplate, secretLiteral } from '#shared/render/index.ts';
import { envSecretName, envValues, type TenantObserved } from './credentials.ts';
import { mainOperator, tenantApiVersion, type BlockName, type StepName, type Tenant } from './types.ts';

/** The child CR kinds, by block. */
export const childKinds: Record<BlockName, string> = { couchdb: 'CouchDB', nats: 'NatsCluster', openwhisk: 'OpenWhisk' };

/** The block whose child CR has this kind, if any. */
export function blockOfKind(kind: string): BlockName | undefined {
  return (Object.keys(childKinds) as BlockName[]).find((block) => childKinds[block] === kind);
}

/** The tenant namespace: `spec.namespace`, else `tenant-<name>`. */
export function tenantNamespace(tenant: Tenant): string {
  return tenant.spec?.namespace || `tenant-${tenant.metadata.name ?? ''}`;
}

/** The name of every child CR: the tenant's name (so their children are `acme-couchdb`, `acme-nats`, …). */
export function childCrName(tenant: Tenant): string {
  return tenant.metadata.name ?? '';
}

function labels(tenant: Tenant, component: string): Record<string, string> {
  const name = tenant.metadata.name ?? '';
  return nimbusLabels({ app: 'tenant', instance: name, component, operator: mainOperator, tenant: name });
}

function owner(tenant: Tenant): OwnerReference[] {
  return [controllerReference(tenant)];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function template(file: string): string {
  return fileURLToPath(new URL(`./templates/${file}`, import.meta.url));
}

/** The Namespace, its ResourceQuota (only with `spec.quota`) and the default-deny-ingress NetworkPolicy. */
export function namespaceObjects(tenant: Tenant): KubeObject[] {
  const name = tenant.metadata.name ?? '';
  const namespace = tenantNamespace(tenant);
  const common = { namespace, ownerReferences: owner(tenant) };
  const objects = renderTemplate(template('namespace.yaml.hbs'), {
    ...common,
    labels: labels(tenant, 'namespace'),
    annotations: tenant.spec?.displayName ? { 'nimbus.dev/display-name': tenant.spec.displayName } : {},
  });
  const hard = Object.fromEntries(Object.entries(tenant.spec?.quota ?? {}).map(([k, v]) => [k, String(v)]));
  if (Object.keys(hard).length > 0) {
    objects.push(
      ...renderTemplate(template('resourcequota.yaml.hbs'), { ...common, name: childName(name, 'quota'), labels: labels(tenant, 'quota'), hard }),
    );
  }
  objects.push(
    ...renderTemplate(template('networkpolicy.yaml.hbs'), { ...common, name: childName(name, 'isolation'), labels: labels(tenant, 'isolation') }),
  );
  return objects;
}

/** The spec of a child CR: the Tenant's block without `enabled`; OpenWhisk defaults to the tenant's CouchDB. */
export function childSpec(tenant: Tenant, block: BlockName): Record<string, unknown> {
  const { enabled: _enabled, ...spec } = (tenant.spec?.[block] ?? {}) as Record<string, unknown> & { enabled?: boolean };
  // deletionPolicy Retain keeps every data volume: it forces the children's retainOnDelete (the Tenant CRD defaults
  // the blocks' own retainOnDelete to false, so "not set" cannot be told apart from "false").
  if (tenant.spec?.deletionPolicy === 'Retain' && block !== 'openwhisk') {
    if (block === 'couchdb') {
      spec['storage'] = { ...record(spec['storage']), retainOnDelete: true };
    } else {
      const jetstream = record(spec['jetstream']);
      spec['jetstream'] = { ...jetstream, storage: { ...record(jetstream['storage']), retainOnDelete: true } };
    }
  }
  if (block === 'openwhisk') {
    const couchdb = (spec['couchdb'] ?? {}) as Record<string, unknown>;
    if (!couchdb['url'] && !couchdb['ref']) spec['couchdb'] = { ...couchdb, ref: { name: childCrName(tenant) } };
  }
  return spec;
}

/** The CouchDB / NatsCluster / OpenWhisk CR of a block, in the tenant namespace. */
export function childResource(tenant: Tenant, block: BlockName): KubeObject {
  const [object] = renderTemplate(template('child.yaml.hbs'), {
    apiVersion: tenantApiVersion,
    kind: childKinds[block],
    name: childCrName(tenant),
    namespace: tenantNamespace(tenant),
    labels: labels(tenant, block),
    ownerReferences: owner(tenant),
    spec: childSpec(tenant, block),
  });
  if (!object) throw new Error('child.yaml.hbs rendered nothing');
  return object;
}

/** The annotation on `<tenant>-env` naming the children (and generations) its values were read from. */
export const envSourcesAnnotation = 'nimbus.dev/sources';

/**
 * The `<tenant>-env` Secret, or what it still waits for (a child status field or a Secret not read yet).
 * A pure function of the observed children and their Secrets.
 */
export function envSecret(tenant: Tenant, observed: TenantObserved): { secret: KubeObject } | { waitingFor: string } {
  const values = envValues(tenant, observed);
  if ('waitingFor' in values) return values;
  // Use it with `envFrom: [{ secretRef: { name: <tenant>-env } }]`.
  const secret = secretLiteral(envSecretName(tenant), tenantNamespace(tenant), values.env, {
    labels: labels(tenant, 'credentials'),
    annotations: { [envSourcesAnnotation]: values.sources },
  });
  secret.metadata.ownerReferences = owner(tenant);
  return { secret };
}

/**
 * What a step applies, or what it waits for. `namespace` and the component steps never wait (their dependencies
 * are the graph's business); `credentials` waits until every value can be read.
 */
export function stepObjects(step: StepName, tenant: Tenant, observed: TenantObserved): { objects: KubeObject[] } | { waitingFor: string } {
  switch (step) {
    case 'namespace':
      return { objects: namespaceObjects(tenant) };
    case 'couchdb':
    case 'nats':
    case 'openwhisk':
      return { objects: [childResource(tenant, step)] };
    case 'credentials': {
      const result = envSecret(tenant, observed);
      return 'secret' in result ? { objects: [result.secret] } : result;
    }
  }
}
