/** The Tenant objects a run applies: the sample tenant (`manifests/samples/tenant.yaml`) under numbered names. */
import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import type { KubeObject } from '#shared/kube/types.ts';

/** `<prefix><index, 5 digits>`: short enough that `tenant-<name>` and every child name stay within 63 characters. */
export function tenantName(prefix: string, index: number): string {
  return `${prefix}${String(index).padStart(5, '0')}`;
}

/** N tenants like the sample, with `deletionPolicy: Delete` so a real cluster can be cleaned up after the run. */
export function benchTenants(samplePath: string, prefix: string, count: number): KubeObject[] {
  const sample = yaml.load(readFileSync(samplePath, 'utf8')) as KubeObject;
  const spec = { ...(sample['spec'] as Record<string, unknown>), deletionPolicy: 'Delete' };
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: sample.apiVersion,
    kind: sample.kind,
    metadata: { name: tenantName(prefix, i + 1), labels: { 'nimbus.dev/bench': prefix.replace(/-$/, '') } },
    spec: { ...spec, displayName: `Benchmark tenant ${i + 1}` },
  }));
}
