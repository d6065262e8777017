/** Where the repository's files are, independent of the working directory the CLI was started from. */
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding package.json and manifests/). */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const crdDir = fileURLToPath(new URL('../manifests/crds', import.meta.url));
export const sampleTenantFile = fileURLToPath(new URL('../manifests/samples/tenant.yaml', import.meta.url));
