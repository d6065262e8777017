/**
 * Test support: lay out a folder the way the Dockerfile lays out /app in the image (package.json, production-only
 * node_modules from `npm ci --omit=dev`, `dist/<operator>/main.js` + templates from scripts/build.ts), so a test can
 * start an operator with the image's own command.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildOperators, type BuiltOperator, type OperatorName } from '../../../scripts/build.ts';
import { repoPath, repoRoot } from './repo.ts';

const run = promisify(execFile);

/** Fills `appDir` (an empty folder) like the image's /app, with the bundles of `operators`; returns what was built. */
export async function assembleImageLayout(appDir: string, operators: readonly OperatorName[]): Promise<BuiltOperator[]> {
  // deps stage: production dependencies only, from the lock file, no lifecycle scripts (as in the Dockerfile).
  copyFileSync(repoPath('package.json'), join(appDir, 'package.json'));
  copyFileSync(repoPath('package-lock.json'), join(appDir, 'package-lock.json'));
  await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: appDir,
    maxBuffer: 16 * 1024 * 1024,
  });
  // runtime stage: package.json only, no lock file.
  rmSync(join(appDir, 'package-lock.json'));
  // build stage: the bundles and templates.
  return buildOperators({ rootDir: repoRoot, outDir: join(appDir, 'dist'), operators });
}

/** True when `appDir/node_modules` holds the package (to prove dev dependencies are absent). */
export const hasPackage = (appDir: string, name: string): boolean => existsSync(join(appDir, 'node_modules', name, 'package.json'));
