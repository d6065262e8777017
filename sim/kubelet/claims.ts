/**
 * What the StatefulSet controller does for volumeClaimTemplates: one PVC per template and ordinal,
 * `<template>-<statefulset>-<ordinal>`, labelled with the selector's matchLabels, never deleted on scale down or
 * StatefulSet deletion (so "retain the data volumes" can be tested).
 */
import type { KubeObject } from '#shared/kube/types.ts';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The PVCs a StatefulSet with `replicas` replicas should have. */
export function desiredClaims(sts: KubeObject, replicas: number): KubeObject[] {
  const spec = isObject(sts.spec) ? sts.spec : {};
  const templates = Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates.filter(isObject) : [];
  const selector = isObject(spec.selector) && isObject(spec.selector.matchLabels) ? spec.selector.matchLabels : {};
  const labels = Object.fromEntries(Object.entries(selector).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const out: KubeObject[] = [];
  for (const t of templates) {
    const meta = isObject(t.metadata) ? t.metadata : {};
    if (typeof meta.name !== 'string') continue;
    const tplLabels = isObject(meta.labels) ? meta.labels as Record<string, string> : {};
    for (let i = 0; i < replicas; i++) {
      out.push({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: `${meta.name}-${sts.metadata.name ?? ''}-${i}`, namespace: sts.metadata.namespace ?? '', labels: { ...tplLabels, ...labels } },
        spec: structuredClone(isObject(t.spec) ? t.spec : {}),
      });
    }
  }
  return out;
}

/** The PVC names a workload's pod template mounts (`volumes[].persistentVolumeClaim.claimName`). */
export function claimNames(workload: KubeObject): string[] {
  const spec = isObject(workload.spec) ? workload.spec : {};
  const podSpec = isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec : {};
  const volumes = Array.isArray(podSpec.volumes) ? podSpec.volumes.filter(isObject) : [];
  return volumes.map((v) => (isObject(v.persistentVolumeClaim) ? v.persistentVolumeClaim.claimName : undefined))
    .filter((n): n is string => typeof n === 'string');
}
