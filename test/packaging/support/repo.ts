/** Test support: the repository's packaging files, read and parsed (YAML documents, the manifests tree). */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import type { KubeObject } from '#shared/kube/types.ts';

/** Absolute path of the repository root. */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');

/** Absolute path of a file in the repository. */
export const repoPath = (...parts: string[]): string => join(repoRoot, ...parts);

/** Text of a repository file. */
export const readRepoFile = (...parts: string[]): string => readFileSync(repoPath(...parts), 'utf8');

/** The non-empty YAML documents of a text. */
export function yamlDocuments(text: string): unknown[] {
  return loadAll(text).filter((doc) => doc !== null && doc !== undefined);
}

/** The one YAML document of a repository file (throws when there are more or none). */
export function yamlFile(...parts: string[]): unknown {
  const docs = yamlDocuments(readRepoFile(...parts));
  if (docs.length !== 1) throw new Error(`${parts.join('/')}: expected one YAML document, found ${docs.length}`);
  return docs[0];
}

/** Every .yaml/.yml file under a repository folder, as paths relative to the repository root, sorted. */
export function yamlFilesUnder(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) out.push(relative(repoRoot, path));
    }
  };
  walk(repoPath(folder));
  return out.sort();
}

/** True for a kustomization file (not a Kubernetes object). */
export const isKustomization = (path: string): boolean => /(^|\/)kustomization\.ya?ml$/.test(path);

/** Narrow an unknown YAML document to a Kubernetes object (apiVersion, kind, metadata.name). */
export function asKubeObject(doc: unknown, where: string): KubeObject {
  const o = doc as Partial<KubeObject> | null;
  if (!o || typeof o !== 'object' || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') {
    throw new Error(`${where}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
  }
  return o as KubeObject;
}

/** A record view of an unknown value, or an empty record (for reading optional YAML structure). */
export function rec(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** An array view of an unknown value, or an empty array. */
export const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
