/** How the CouchDB operator reads its children's state: pure predicates over objects as read from the API. */
import type { KubeObject } from '#shared/kube/types.ts';

interface WorkloadStatus {
  observedGeneration?: number;
  readyReplicas?: number;
  updatedReplicas?: number;
  conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
  succeeded?: number;
  failed?: number;
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

export type JobState = { state: 'absent' } | { state: 'running' } | { state: 'complete' } | { state: 'failed'; message: string };

/** A Job's outcome, from its `Complete`/`Failed` conditions (what the Job controller writes when it is done). */
export function jobState(job: KubeObject | undefined): JobState {
  if (!job) return { state: 'absent' };
  const conditions = statusOf(job).conditions ?? [];
  if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return { state: 'complete' };
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed) {
    const detail = [failed.reason, failed.message].filter((s) => s).join(': ');
    return { state: 'failed', message: detail || 'the Job failed' };
  }
  return { state: 'running' };
}
