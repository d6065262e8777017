/** Test support: validate rendered built-in objects against the Kubernetes OpenAPI schemas (kubernetes-models). */
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { ConfigMap, Namespace, ResourceQuota, Secret, Service } from 'kubernetes-models/v1';
import type { KubeObject } from '#shared/kube/types.ts';

interface Validatable {
  validate(): void;
}

const models: Record<string, (object: KubeObject) => Validatable> = {
  'apps/v1/StatefulSet': (o) => new StatefulSet(o as never),
  'networking.k8s.io/v1/NetworkPolicy': (o) => new NetworkPolicy(o as never),
  'v1/ConfigMap': (o) => new ConfigMap(o as never),
  'v1/Namespace': (o) => new Namespace(o as never),
  'v1/ResourceQuota': (o) => new ResourceQuota(o as never),
  'v1/Secret': (o) => new Secret(o as never),
  'v1/Service': (o) => new Service(o as never),
};

/** Throws (naming the object) when a built-in object does not match its schema; custom resources are skipped. */
export function validateBuiltIn(object: KubeObject): void {
  const model = models[`${object.apiVersion}/${object.kind}`];
  if (!model) {
    if (object.apiVersion.startsWith('nimbus.dev/')) return;
    throw new Error(`no kubernetes-models schema registered for ${object.apiVersion} ${object.kind}`);
  }
  try {
    model(object).validate();
  } catch (error) {
    throw new Error(`${object.kind} ${object.metadata.name ?? ''} is invalid: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
