/** Applying manifest files the way `kubectl apply --server-side` does, with the CLI's field manager. */
import type { KubeClient } from '#shared/kube/types.ts';
import { apiFailure } from './kube.ts';
import { readManifests } from './manifests.ts';

/** Apply every object of `file`; returns `Kind/name` of each. */
export async function applyFile(kube: KubeClient, file: string): Promise<string[]> {
  const applied: string[] = [];
  for (const object of readManifests(file)) {
    const what = `${object.kind}/${object.metadata.name ?? ''}`;
    try {
      await kube.apply(object, { force: true });
    } catch (error) {
      throw apiFailure(`applying ${what} from ${file}`, error);
    }
    applied.push(what);
  }
  return applied;
}
