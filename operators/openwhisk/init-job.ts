/** The init Job's identity: its script and a name that changes whenever its inputs (namespaces, keys, CouchDB) do. */
import { couchdbAccess, type CouchDBAccess } from './couchdb-access.ts';
import type { OpenWhiskObserved } from './desired.ts';
import { designDocs, designDocsHash, designDocsMountPath } from './design-docs.ts';
import { databaseNames, openwhiskInitScript } from './init-script.ts';
import { databasePrefixOf, namespacesOf, openwhiskNames, shortHash } from './names.ts';
import { openwhiskInitImage, type OpenWhisk } from './types.ts';

/**
 * The name of the init Job for the current inputs, or undefined while the CouchDB is not usable or an auth Secret
 * has not been read yet. The hash covers the keys (one-way), so a regenerated key reruns the Job.
 */
export function initJobName(cr: OpenWhisk, observed: OpenWhiskObserved): string | undefined {
  const access = couchdbAccess(cr, observed);
  if (!access.ok) return undefined;
  const auths: string[] = [];
  for (const ns of namespacesOf(cr)) {
    const data = observed.authSecrets?.[ns]?.['data'] as Record<string, string> | undefined;
    const auth = data?.['auth'];
    if (!auth) return undefined;
    auths.push(auth);
  }
  const hash = shortHash(JSON.stringify({
    script: initScript(cr, access), auths, secret: access.secretName, image: openwhiskInitImage, designDocs: designDocsHash(),
  }));
  return `${openwhiskNames(cr).initJobPrefix}-${hash}`;
}

/** The init script for the CR and its CouchDB. */
export function initScript(cr: OpenWhisk, access: CouchDBAccess): string {
  const prefix = databasePrefixOf(cr);
  const dbs = databaseNames(prefix);
  return openwhiskInitScript({
    couchdbUrl: access.url, prefix, namespaces: namespacesOf(cr),
    designDocs: designDocs().map((doc) => ({ database: dbs[doc.database], id: doc.id, file: doc.file })),
    designDocsDir: designDocsMountPath,
  });
}
