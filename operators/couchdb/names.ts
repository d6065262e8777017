/** Names of a CouchDB's children (DESIGN section 8: `<cr-name>-<role>`), shared by desired, observe and status. */
import { childName } from '#shared/objects/index.ts';
import { couchdbPort, type CouchDB } from './types.ts';

export interface CouchDBNames {
  /** StatefulSet, and the client Service (the same name keeps pod hostnames short). */
  statefulSet: string;
  clientService: string;
  headlessService: string;
  config: string;
  /** The generated admin Secret (used unless `spec.adminSecretRef`). */
  generatedAdminSecret: string;
  /** Erlang cookie and `COUCHDB_SECRET`: always generated, never the user's business. */
  clusterSecret: string;
  /** The init Job name prefix; the full name carries a hash of the Job's inputs. */
  initJobPrefix: string;
}

/** The child names of a CouchDB. */
export function couchdbNames(cr: CouchDB): CouchDBNames {
  const name = cr.metadata.name ?? '';
  return {
    statefulSet: childName(name, 'couchdb'),
    clientService: childName(name, 'couchdb'),
    headlessService: childName(name, 'couchdb-headless'),
    config: childName(name, 'couchdb-config'),
    generatedAdminSecret: childName(name, 'couchdb-admin'),
    clusterSecret: childName(name, 'couchdb-cluster'),
    initJobPrefix: childName(name, 'couchdb-init', 54),
  };
}

/** The admin Secret in use: the user's (`spec.adminSecretRef.name`) or the generated one. */
export function adminSecretName(cr: CouchDB): string {
  return cr.spec?.adminSecretRef?.name || couchdbNames(cr).generatedAdminSecret;
}

/** `http://<client-svc>.<ns>.svc:5984` */
export function endpointOf(cr: CouchDB): string {
  return `http://${couchdbNames(cr).clientService}.${cr.metadata.namespace ?? 'default'}.svc:${couchdbPort}`;
}

/** The in-cluster host name of replica `index` (what CouchDB calls the node: `couchdb@<host>`). */
export function podHost(cr: CouchDB, index: number): string {
  const names = couchdbNames(cr);
  return `${names.statefulSet}-${index}.${names.headlessService}.${cr.metadata.namespace ?? 'default'}.svc`;
}
