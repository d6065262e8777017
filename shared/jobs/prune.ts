/**
 * Deleting superseded Jobs. Operators name a one-shot Job after a hash of its inputs (`<prefix>-<hash>`): a changed
 * input is a new Job, never an edit of an immutable one. Once the Job of the current inputs succeeded, the Jobs of
 * earlier inputs only cost pods and clutter `kubectl get jobs`: they go, with their pods.
 */
import { NotFoundError } from '#shared/kube/errors.ts';
import type { KubeClient, KubeObject } from '#shared/kube/types.ts';
import { jobState } from './state.ts';

export interface SupersededJobs {
  /** The Jobs of one owner share this name prefix (`<cr>-couchdb-init`); a `-` separates it from the hash. */
  prefix: string;
  /** The owner's labels (`k=v,k=v`), so that another owner whose name starts with the prefix is never touched. */
  labelSelector: string;
}

/**
 * When `current` (the Job of the current inputs, as read) has succeeded, deletes the other Jobs of its namespace
 * that match `jobs` (Background propagation: their pods go too). Resolves the names deleted; a Job already gone is
 * fine. Does nothing while `current` is absent, running or failed: an earlier Job may still be the last good run.
 */
export async function pruneSupersededJobs(kube: KubeClient, current: KubeObject | undefined, jobs: SupersededJobs): Promise<string[]> {
  if (!current || jobState(current).state !== 'complete') return [];
  const namespace = current.metadata.namespace ?? 'default';
  const currentName = current.metadata.name ?? '';
  const listed = await kube.list({ apiVersion: 'batch/v1', kind: 'Job', namespace }, { labelSelector: jobs.labelSelector });
  const deleted: string[] = [];
  for (const job of listed.items) {
    const name = job.metadata.name ?? '';
    if (name === currentName || !name.startsWith(`${jobs.prefix}-`)) continue;
    try {
      await kube.delete({ apiVersion: 'batch/v1', kind: 'Job', namespace, name }, { propagationPolicy: 'Background' });
      deleted.push(name);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return deleted;
}

/** `k=v,k=v` from a label map. */
export function labelSelectorOf(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(',');
}
