/** Test support: build a kustomization with the installed `kubectl kustomize`, as `kubectl apply -k` would. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { KubeObject } from '#shared/kube/types.ts';
import { asKubeObject, repoPath, yamlDocuments } from './repo.ts';

const run = promisify(execFile);

/** The objects `kubectl kustomize <folder>` renders (folder relative to the repository root). */
export async function kustomizeBuild(folder: string): Promise<KubeObject[]> {
  const { stdout } = await run('kubectl', ['kustomize', repoPath(folder)], { maxBuffer: 32 * 1024 * 1024 });
  return yamlDocuments(stdout).map((doc, i) => asKubeObject(doc, `${folder} (document ${i + 1})`));
}

/** `Kind/namespace/name` of an object, for assertions that read well. */
export const idOf = (o: KubeObject): string => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
