/**
 * How an operator process is started: from the esbuild bundles the image runs (`scripts/build.ts`, the production
 * form: no TypeScript loader in the process) or from source with tsx.
 */
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildOperators } from '../scripts/build.ts';
import type { OperatorName } from './args.ts';

/**
 * Bundles go under node_modules/.cache so that the bundles resolve their npm packages from the repository's
 * node_modules (as the image does from its own), without writing into the source tree.
 */
const bundleDir = resolve('node_modules/.cache/nimbus-bench');

/** The operators whose `main.ts` exists. */
export function availableOperators(names: readonly OperatorName[]): OperatorName[] {
  return names.filter((name) => existsSync(join('operators', name, 'main.ts')));
}

/** Folders an operator reads at run time besides its templates (the build script copies only `templates/`). */
const notShipped = new Set(['templates', 'testdata', 'testing', 'node_modules']);

/**
 * Copies an operator's data folders (e.g. `operators/openwhisk/design-docs/`) next to its bundle, where
 * `new URL('./<folder>/…', import.meta.url)` looks for them once bundled. Without this the bundle fails at the first
 * reconcile that reads them (a gap of scripts/build.ts, reported; the image would need the same).
 */
function copyDataFolders(name: OperatorName): string[] {
  const source = join('operators', name);
  const copied: string[] = [];
  for (const entry of readdirSync(source)) {
    if (notShipped.has(entry) || !statSync(join(source, entry)).isDirectory()) continue;
    cpSync(join(source, entry), join(bundleDir, name, entry), { recursive: true });
    copied.push(entry);
  }
  return copied;
}

/** `node` arguments per operator; builds the bundles first for the `bundle` runtime. */
export async function operatorNodeArgs(
  names: readonly OperatorName[], runtime: 'bundle' | 'tsx',
): Promise<Record<string, string[]>> {
  const args: Record<string, string[]> = {};
  if (runtime === 'tsx') {
    for (const name of names) args[name] = ['--import', 'tsx', join('operators', name, 'main.ts')];
    return args;
  }
  const built = await buildOperators({ outDir: bundleDir, operators: names });
  for (const b of built) {
    copyDataFolders(b.name);
    args[b.name] = ['--enable-source-maps', b.bundle];
  }
  return args;
}
