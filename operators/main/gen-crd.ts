/**
 * Writes manifests/crds/tenant.yaml: the Tenant CRD with the child CRDs' spec schemas as its component blocks.
 * Run after changing a child CRD or operators/main/tenant-crd.base.yaml: `npx tsx operators/main/gen-crd.ts`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderTenantCrd, tenantCrdFile } from './crd.ts';

const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
writeFileSync(`${root}/${tenantCrdFile}`, renderTenantCrd(root));
console.log(`wrote ${tenantCrdFile}`);
