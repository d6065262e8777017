/** Discovery documents: `/version`, `/api`, `/apis`, `/apis/<group>`, and the resource lists of group versions. */
import type { Registry, Served } from '#sim/resources/registry.ts';
import { STATUS_VERBS } from '#sim/resources/builtin.ts';

/** `/version`: a version.Info of a 1.24 server. */
export function versionInfo(): Record<string, string> {
  return {
    major: '1', minor: '24', gitVersion: 'v1.24.0-nimbus-sim', gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean', buildDate: '2022-01-01T00:00:00Z', goVersion: 'go1.17.5', compiler: 'gc', platform: 'linux/amd64',
  };
}

/** `/api`. */
export function apiVersions(host: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }] };
}

function groupEntry(registry: Registry, group: string): { name: string; versions: unknown[]; preferredVersion: unknown } {
  const versions = registry.versions(group).map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions, preferredVersion: versions[0] };
}

/** `/apis`. */
export function groupList(registry: Registry): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groupNames().map((g) => groupEntry(registry, g)) };
}

/** `/apis/<group>`. */
export function apiGroup(registry: Registry, group: string): unknown {
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(registry, group) };
}

function entries(s: Served): unknown[] {
  const { info } = s;
  const main: Record<string, unknown> = {
    name: info.name, singularName: info.singularName, namespaced: info.namespaced, kind: info.kind, verbs: info.verbs,
  };
  if (info.shortNames?.length) main.shortNames = info.shortNames;
  if (info.categories?.length) main.categories = info.categories;
  const out: unknown[] = [main];
  for (const sub of info.subresources) {
    if (sub === 'status') out.push({ name: `${info.name}/status`, singularName: '', namespaced: info.namespaced, kind: info.kind, verbs: STATUS_VERBS });
    if (sub === 'scale') out.push({ name: `${info.name}/scale`, singularName: '', namespaced: info.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: STATUS_VERBS });
    if (sub === 'token') out.push({ name: `${info.name}/token`, singularName: '', namespaced: info.namespaced, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
  }
  return out;
}

/** `/api/v1` or `/apis/<group>/<version>`. */
export function resourceList(registry: Registry, group: string, version: string): unknown {
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version,
    resources: registry.resources(group, version).flatMap(entries),
  };
}
