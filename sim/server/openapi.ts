/**
 * Minimal OpenAPI v3 documents, just enough for kubectl 1.32: the index lists every served group version, and each
 * group version document declares, for every resource, a PATCH operation that accepts the `fieldValidation` query
 * parameter. kubectl then leaves validation to the server (it would otherwise need the protobuf OpenAPI v2
 * document) and, finding no schemas, computes client-side apply patches from its compiled-in types.
 * `/openapi/v2` stays 404. The sim does not enforce `fieldValidation=Strict`.
 */
import type { Registry } from '#sim/resources/registry.ts';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** `/openapi/v3`: the index of group version documents. */
export function openapiIndex(registry: Registry): unknown {
  const paths: Record<string, unknown> = {};
  const add = (group: string, version: string): void => {
    const p = gvPath(group, version);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}` };
  };
  add('', 'v1');
  for (const g of registry.groupNames()) for (const v of registry.versions(g)) add(g, v);
  return { paths };
}

/** `/openapi/v3/api/v1` or `/openapi/v3/apis/<group>/<version>`, or undefined when not served. */
export function openapiGroupVersion(registry: Registry, rest: string): unknown {
  const seg = rest.split('/');
  let group: string;
  let version: string;
  if (seg[0] === 'api' && seg.length === 2) { group = ''; version = seg[1]!; } else if (seg[0] === 'apis' && seg.length === 3) { group = seg[1]!; version = seg[2]!; } else return undefined;
  if (!registry.hasGroupVersion(group, version)) return undefined;
  const paths: Record<string, unknown> = {};
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  for (const s of registry.resources(group, version)) {
    const { name, kind, namespaced } = s.info;
    const path = namespaced ? `${prefix}/namespaces/{namespace}/${name}/{name}` : `${prefix}/${name}/{name}`;
    paths[path] = {
      patch: {
        operationId: `patch${kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group, version, kind },
        parameters: [
          { name: 'dryRun', in: 'query', schema: { type: 'string' } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string' } },
          { name: 'fieldValidation', in: 'query', schema: { type: 'string' } },
          { name: 'force', in: 'query', schema: { type: 'boolean' } },
        ],
        responses: { 200: { description: 'OK' } },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.24.0' }, paths, components: { schemas: {} } };
}
