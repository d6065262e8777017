/**
 * Builds the operators for the image: one ESM bundle per operator, `dist/<name>/main.js`, with the operator's
 * Handlebars templates copied next to it (`dist/<name>/templates/`).
 *
 * Why this layout: the operators find their templates with `new URL('./templates/…', import.meta.url)`. In a bundle
 * `import.meta.url` is the bundle file, so `dist/<name>/main.js` + `dist/<name>/templates/` mirrors
 * `operators/<name>/desired.ts` + `operators/<name>/templates/` and every template path resolves unchanged.
 * One folder per operator also keeps same-named templates of different operators apart.
 *
 * Our own code (`#shared/*`, `#operators/*`, TypeScript) is bundled; npm packages stay external and are loaded from the
 * image's production-only `node_modules` (no tsx, no TypeScript at run time).
 *
 * Usage: `npm run build` (writes `./dist`) or `tsx scripts/build.ts <outDir>`.
 */
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The operators the image carries; each has `operators/<name>/main.ts`. */
export const operatorNames = ['main', 'couchdb', 'nats', 'openwhisk'] as const;
export type OperatorName = (typeof operatorNames)[number];

/** Node version the bundles are compiled for: the oldest the package supports (`engines`), so they run on 20 and 24. */
export const nodeTarget = 'node20';

export interface BuildOptions {
  /** Repository root holding `operators/` and `shared/` (default: the parent of this script's folder). */
  rootDir?: string;
  /** Output folder; `<outDir>/<name>/main.js` is written (default `<rootDir>/dist`). */
  outDir?: string;
  /** Which operators to build (default all). */
  operators?: readonly OperatorName[];
}

export interface BuiltOperator {
  name: OperatorName;
  /** Absolute path of the bundle. */
  bundle: string;
  /** Source files bundled, relative to rootDir. */
  inputs: string[];
}

/** Raised when a bundle could not be built or would not work where it is put. */
export class BuildError extends Error {
  override name = 'BuildError';
}

const defaultRoot = fileURLToPath(new URL('..', import.meta.url));

/** Source text without comments (roughly: enough to tell code that mentions import.meta from code that uses it). */
const withoutComments = (source: string): string => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/**
 * A module outside `operators/<name>/` that uses `import.meta.url` would resolve its relative paths against the
 * bundle's folder, not its own: refuse to build rather than ship an image that fails at the first reconcile.
 */
function checkImportMetaUrl(rootDir: string, name: OperatorName, inputs: string[]): void {
  for (const input of inputs) {
    if (input.startsWith(`operators/${name}/`) || input.startsWith('node_modules/')) continue;
    if (/import\.meta\.(url|dirname|filename)/.test(withoutComments(readFileSync(join(rootDir, input), 'utf8')))) {
      throw new BuildError(`${input} uses import.meta.url, which points at dist/${name}/main.js once bundled into the ${name} operator`);
    }
  }
}

/** Bundle one operator and copy its templates. */
async function buildOne(rootDir: string, outDir: string, name: OperatorName): Promise<BuiltOperator> {
  const entry = join(rootDir, 'operators', name, 'main.ts');
  if (!existsSync(entry)) throw new BuildError(`operators/${name}/main.ts does not exist`);
  const bundle = join(outDir, name, 'main.js');
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: rootDir,
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: nodeTarget,
    // npm packages are resolved at run time from the image's production node_modules.
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
  }).catch((error: unknown) => {
    throw new BuildError(`cannot bundle operators/${name}/main.ts: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  });
  const inputs = Object.keys(result.metafile.inputs);
  checkImportMetaUrl(rootDir, name, inputs);
  const templates = join(rootDir, 'operators', name, 'templates');
  if (existsSync(templates)) cpSync(templates, join(outDir, name, 'templates'), { recursive: true });
  return { name, bundle, inputs };
}

/** Build the bundles (cleaning each operator's output folder first). */
export async function buildOperators(options: BuildOptions = {}): Promise<BuiltOperator[]> {
  const rootDir = resolve(options.rootDir ?? defaultRoot);
  const outDir = resolve(options.outDir ?? join(rootDir, 'dist'));
  const names = options.operators ?? operatorNames;
  for (const name of names) rmSync(join(outDir, name), { recursive: true, force: true });
  const built: BuiltOperator[] = [];
  for (const name of names) built.push(await buildOne(rootDir, outDir, name));
  return built;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const built = await buildOperators(process.argv[2] ? { outDir: process.argv[2] } : {});
    for (const b of built) process.stdout.write(`built ${b.bundle} (${b.inputs.length} modules)\n`);
  } catch (error) {
    process.stderr.write(`build: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
