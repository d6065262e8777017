/**
 * How an operator process is started: from the esbuild bundles the image runs (`scripts/build.ts`, the production
 * form: no TypeScript loader in the process) or from source with tsx.
 */
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildOperators } from '../scripts/build.ts';
import { operatorNodeFlags } from '../scripts/node-flags.ts';
import type { OperatorName } from './args.ts';

/**
 * Bundles go under node_modules/.cache so that the bundles resolve their npm packages from the repository's
 * node_modules (as the image does from its own), without writing into the source tree. One folder per benchmark
 * process: two benchmarks run at once (e.g. by two engineers on one machine) never overwrite each other's bundles.
 */
const bundleRoot = resolve('node_modules/.cache/nimbus-bench');
const bundleDir = join(bundleRoot, String(process.pid));

/** The operators whose `main.ts` exists. */
export function availableOperators(names: readonly OperatorName[]): OperatorName[] {
  return names.filter((name) => existsSync(join('operators', name, 'main.ts')));
}

function removeOnExit(dir: string): void {
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
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
  removeOnExit(bundleDir);
  // The flags the image runs with: the benchmark measures what is shipped.
  for (const b of built) args[b.name] = [...operatorNodeFlags, b.bundle];
  return args;
}
