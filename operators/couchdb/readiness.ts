/** How the CouchDB operator reads its children's state: pure predicates over objects as read from the API. */
import type { KubeObject } from '#shared/kube/types.ts';

interface WorkloadStatus {
  observedGeneration?: number;
  readyReplicas?: number;
  updatedReplicas?: number;
  conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
}

function statusOf(object: KubeObject | undefined): WorkloadStatus {
  const status = object?.['status'];
  return typeof status === 'object' && status !== null ? status : {};
}

/** Ready replicas of a StatefulSet or Deployment (0 when absent). */
export function readyReplicasOf(workload: KubeObject | undefined): number {
  return statusOf(workload).readyReplicas ?? 0;
}

/**
 * A StatefulSet/Deployment is ready when its controller has seen the current spec and `replicas` pods are ready.
 * (Without the generation check, a just-scaled workload would look ready with its old pods.)
 */
export function workloadReady(workload: KubeObject | undefined, replicas: number): boolean {
  if (!workload) return false;
  const status = statusOf(workload);
  const generation = workload.metadata.generation ?? 0;
  return (status.observedGeneration ?? 0) >= generation && (status.readyReplicas ?? 0) >= replicas;
}

/** Moved to `shared/jobs` (the OpenWhisk operator shares it); re-exported for existing imports. */
export { jobState, type JobState } from '#shared/jobs/state.ts';
