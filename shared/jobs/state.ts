/** A Job's outcome as its controller reports it: pure, over the object as read from the API. */
import type { KubeObject } from '#shared/kube/types.ts';

export type JobState = { state: 'absent' } | { state: 'running' } | { state: 'complete' } | { state: 'failed'; message: string };

interface JobCondition { type?: string; status?: string; reason?: string; message?: string }

function conditionsOf(job: KubeObject): JobCondition[] {
  const status = job['status'];
  if (typeof status !== 'object' || status === null) return [];
  const conditions = (status as { conditions?: unknown }).conditions;
  return Array.isArray(conditions) ? (conditions as JobCondition[]) : [];
}

/** A Job's outcome, from its `Complete`/`Failed` conditions (what the Job controller writes when it is done). */
export function jobState(job: KubeObject | undefined): JobState {
  if (!job) return { state: 'absent' };
  const conditions = conditionsOf(job);
  if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return { state: 'complete' };
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed) {
    const detail = [failed.reason, failed.message].filter((s) => s).join(': ');
    return { state: 'failed', message: detail || 'the Job failed' };
  }
  return { state: 'running' };
}
