/** Names of an OpenWhisk's children (`<cr-name>-<role>`) and the values derived from the CR alone. */
import { childName, tenantOf } from '#shared/objects/index.ts';
import { apiPort, type OpenWhisk } from './types.ts';

export interface OpenWhiskNames {
  /** Deployment and Service of the controller. */
  controller: string;
  /** ServiceAccount, Role and RoleBinding of the controller. */
  serviceAccount: string;
  runtimes: string;
  /** The init Job name prefix; the full name carries a hash of the Job's inputs. */
  initJobPrefix: string;
}

export function openwhiskNames(cr: OpenWhisk): OpenWhiskNames {
  const name = cr.metadata.name ?? '';
  return {
    controller: childName(name, 'openwhisk'),
    serviceAccount: childName(name, 'openwhisk-controller'),
    runtimes: childName(name, 'openwhisk-runtimes'),
    initJobPrefix: childName(name, 'openwhisk-init', 54),
  };
}

/** The Secret holding the auth of OpenWhisk namespace `ns`. */
export function authSecretName(cr: OpenWhisk, ns: string): string {
  return childName(cr.metadata.name ?? '', `openwhisk-auth-${ns}`);
}

/** The OpenWhisk namespaces: the spec's, else one named after the tenant, else after the CR. */
export function namespacesOf(cr: OpenWhisk): string[] {
  const listed = [...new Set(cr.spec?.namespaces ?? [])];
  if (listed.length > 0) return listed;
  return [tenantOf(cr) ?? cr.metadata.name ?? 'guest'];
}

/** Namespace → auth Secret name, as `status.authSecrets` reports it. */
export function authSecretsOf(cr: OpenWhisk): Record<string, string> {
  return Object.fromEntries(namespacesOf(cr).map((ns) => [ns, authSecretName(cr, ns)]));
}

/** `http://<svc>.<ns>.svc:3233` */
export function apiHostOf(cr: OpenWhisk): string {
  return `http://${openwhiskNames(cr).controller}.${cr.metadata.namespace ?? 'default'}.svc:${apiPort}`;
}

/**
 * The database name prefix: the spec's, else the CR name made a valid CouchDB name (`acme-ow` → `acme_ow_`), so two
 * OpenWhisks sharing one CouchDB never share databases.
 */
export function databasePrefixOf(cr: OpenWhisk): string {
  const explicit = cr.spec?.couchdb.databasePrefix;
  if (explicit !== undefined) return explicit;
  const base = (cr.metadata.name ?? 'openwhisk').toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return /^[a-z]/.test(base) ? `${base}_` : `ow_${base}_`;
}
