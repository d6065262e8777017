/**
 * Validates rendered built-in objects against the Kubernetes OpenAPI schemas (the `kubernetes-models` package).
 * Test only. A kind missing from the table below is an error, so a new child kind cannot slip by unvalidated.
 */
import { ConfigMap, Namespace, ResourceQuota, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import type { KubeObject } from '#shared/kube/types.ts';

interface Validatable { validate(): void }
type Factory = (object: KubeObject) => Validatable;

const models: Record<string, Factory> = {
  'v1/ConfigMap': (o) => new ConfigMap(o as never),
  'v1/Namespace': (o) => new Namespace(o as never),
  'v1/ResourceQuota': (o) => new ResourceQuota(o as never),
  'v1/Secret': (o) => new Secret(o as never),
  'v1/Service': (o) => new Service(o as never),
  'v1/ServiceAccount': (o) => new ServiceAccount(o as never),
  'apps/v1/StatefulSet': (o) => new StatefulSet(o as never),
  'apps/v1/Deployment': (o) => new Deployment(o as never),
  'batch/v1/Job': (o) => new Job(o as never),
  'networking.k8s.io/v1/NetworkPolicy': (o) => new NetworkPolicy(o as never),
  'rbac.authorization.k8s.io/v1/Role': (o) => new Role(o as never),
  'rbac.authorization.k8s.io/v1/RoleBinding': (o) => new RoleBinding(o as never),
};

/** Throws, naming the object, when it does not match its kind's schema (or its kind is not known here). */
export function validateObject(object: KubeObject): void {
  const key = `${object.apiVersion}/${object.kind}`;
  const factory = models[key];
  if (!factory) throw new Error(`no kubernetes-models schema registered for ${key}`);
  try {
    factory(object).validate();
  } catch (error) {
    throw new Error(`${key} ${object.metadata.name ?? ''} is invalid: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** `validateObject` for every object (custom resources included: they are not expected in the list). */
export function validateAll(objects: readonly KubeObject[]): void {
  for (const object of objects) validateObject(object);
}

/** `validateObject`, skipping Nimbus custom resources (their CRDs validate them, see the sim's admission). */
export function validateBuiltIn(object: KubeObject): void {
  if (object.apiVersion.startsWith('nimbus.dev/')) return;
  validateObject(object);
}
