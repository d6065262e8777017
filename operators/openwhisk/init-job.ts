/**
 * The init Job's identity: its script and a name that changes whenever its inputs (namespaces, keys, CouchDB, the
 * provided design documents) do.
 */
import { shortHash } from '#shared/objects/index.ts';
import { couchdbAccess, type CouchDBAccess } from './couchdb-access.ts';
import type { OpenWhiskObserved } from './desired.ts';
import { designDocPlan, designDocsMountPath, designDocumentsConfigMap } from './design-docs.ts';
import { databaseNames, openwhiskInitScript } from './init-script.ts';
import { databasePrefixOf, namespacesOf, openwhiskNames } from './names.ts';
import { openwhiskInitImage, type OpenWhisk } from './types.ts';

/**
 * The name of the init Job for the current inputs, or undefined while the CouchDB is not usable or an auth Secret
 * has not been read yet. The hash covers the keys (one-way), so a regenerated key reruns the Job.
 */
export function initJobName(cr: OpenWhisk, observed: OpenWhiskObserved): string | undefined {
  const access = couchdbAccess(cr, observed);
  if (!access.ok) return undefined;
  // Asked for design documents that cannot be read yet: no Job that would silently skip them.
  if (designDocumentsConfigMap(cr) !== undefined && !observed.designDocuments) return undefined;
  const auths: string[] = [];
  for (const ns of namespacesOf(cr)) {
    const data = observed.authSecrets?.[ns]?.['data'] as Record<string, string> | undefined;
    const auth = data?.['auth'];
    if (!auth) return undefined;
    auths.push(auth);
  }
  const hash = shortHash(JSON.stringify({
    script: initScript(cr, observed, access), auths, secret: access.secretName, image: openwhiskInitImage,
    designDocs: designDocPlan(observed.designDocuments).hash,
  }));
  return `${openwhiskNames(cr).initJobPrefix}-${hash}`;
}

/** The init script for the CR, its CouchDB and the design documents provided (none without the ConfigMap). */
export function initScript(cr: OpenWhisk, observed: OpenWhiskObserved, access: CouchDBAccess): string {
  const prefix = databasePrefixOf(cr);
  const dbs = databaseNames(prefix);
  return openwhiskInitScript({
    couchdbUrl: access.url, prefix, namespaces: namespacesOf(cr),
    designDocs: designDocPlan(observed.designDocuments).docs.map((doc) => ({ database: dbs[doc.database], id: doc.id, file: doc.file })),
    designDocsDir: designDocsMountPath,
  });
}
