/** Reading Kubernetes manifests (multi-document YAML or JSON) from a file, with errors a user can act on. */
import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import type { KubeObject } from '#shared/kube/types.ts';
import { CliError } from './errors.ts';

function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  return typeof o['apiVersion'] === 'string' && typeof o['kind'] === 'string'
    && typeof o['metadata'] === 'object' && o['metadata'] !== null;
}

/** Every object in `file` (empty documents skipped). Throws CliError naming the file and the problem. */
export function readManifests(file: string): KubeObject[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(error);
    throw new CliError(`cannot read ${file}: ${why}`, { cause: error });
  }
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text);
  } catch (error) {
    throw new CliError(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`, { cause: error });
  }
  const objects: KubeObject[] = [];
  docs.forEach((doc, i) => {
    if (doc === null || doc === undefined) return;
    if (!isKubeObject(doc)) {
      throw new CliError(`${file}: document ${i + 1} is not a Kubernetes object (it needs apiVersion, kind and metadata)`);
    }
    objects.push(doc);
  });
  if (objects.length === 0) throw new CliError(`${file} contains no Kubernetes objects`);
  return objects;
}
