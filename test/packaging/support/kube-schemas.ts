/**
 * Test support: validate objects against the Kubernetes OpenAPI schemas (`kubernetes-models`, picked by apiVersion
 * and kind) and custom resources against their CRD (the sim's admission: prune, default, schema, CEL).
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { admitCustomResource } from '#sim/crd/index.ts';
import type { ResourceInfo } from '#sim/types.ts';
import { arr, rec } from './repo.ts';

interface Validatable { validate(): void }
type ModelClass = new (data: unknown) => Validatable;

/** Throws, naming the object, when a built-in object does not match the schema of its apiVersion and kind. */
export async function validateBuiltIn(object: KubeObject): Promise<void> {
  const what = `${object.apiVersion} ${object.kind} ${object.metadata.name ?? ''}`;
  let module: Record<string, unknown>;
  try {
    module = (await import(`kubernetes-models/${object.apiVersion}`)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${what}: no Kubernetes schema for apiVersion ${object.apiVersion}`, { cause: error });
  }
  const model = module[object.kind];
  if (typeof model !== 'function') throw new Error(`${what}: no Kubernetes schema for kind ${object.kind}`);
  try {
    new (model as ModelClass)(object).validate();
  } catch (error) {
    throw new Error(`${what} is invalid: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The CRD among `crds` that serves `object`'s group and kind. */
export function crdFor(object: KubeObject, crds: readonly KubeObject[]): KubeObject | undefined {
  const group = object.apiVersion.split('/')[0];
  return crds.find((crd) => rec(crd['spec'])['group'] === group && rec(rec(crd['spec'])['names'])['kind'] === object.kind);
}

/** Throws, naming the object and every cause, when a custom resource is not admitted by its CRD. */
export function validateCustomResource(object: KubeObject, crd: KubeObject): void {
  const spec = rec(crd['spec']);
  const names = rec(spec['names']);
  const version = object.apiVersion.split('/')[1] ?? '';
  const served = arr(spec['versions']).map(rec).find((v) => v['name'] === version && v['served'] === true);
  if (!served) throw new Error(`${object.kind} ${object.metadata.name ?? ''}: version ${version} is not served by ${crd.metadata.name ?? ''}`);
  const resource: ResourceInfo = {
    group: String(spec['group']),
    version,
    name: String(names['plural']),
    singularName: typeof names['singular'] === 'string' ? names['singular'] : '',
    kind: String(names['kind']),
    namespaced: spec['scope'] === 'Namespaced',
    verbs: ['create', 'get', 'list', 'watch', 'update', 'patch', 'delete'],
    subresources: Object.keys(rec(served['subresources'])),
  };
  const { causes } = admitCustomResource(crd, version, object, { operation: 'create', resource, old: undefined, subresource: '' });
  if (causes.length > 0) {
    throw new Error(`${object.kind} ${object.metadata.name ?? ''} is invalid: ${causes.map((c) => JSON.stringify(c)).join('; ')}`);
  }
}
