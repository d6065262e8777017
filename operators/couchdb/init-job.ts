/** The init Job's identity: its script and a name that changes whenever the script's inputs change. */
import { shortHash } from '#shared/objects/index.ts';
import { couchdbInitScript } from './init-script.ts';
import { adminSecretName, couchdbNames, podHost } from './names.ts';
import { couchdbInitImage, settingsOf, type CouchDB } from './types.ts';

/** The name of the init Job for the CR's current inputs (what observe reads, and status reports on). */
export function initJobName(cr: CouchDB): string {
  return initJob(cr).name;
}

/** The init Job's name and script for the CR's current inputs. */
export function initJob(cr: CouchDB): { name: string; script: string } {
  const settings = settingsOf(cr);
  const names = couchdbNames(cr);
  const script = couchdbInitScript({
    replicas: settings.replicas,
    clientHost: `${names.clientService}.${cr.metadata.namespace ?? 'default'}.svc`,
    nodeHosts: Array.from({ length: settings.replicas }, (_, i) => podHost(cr, i)),
    databases: settings.databases,
  });
  // Everything the Job's pod depends on: a change to any of it must run the Job again.
  const hash = shortHash(JSON.stringify({ script, image: couchdbInitImage, secret: adminSecretName(cr) }));
  return { name: `${names.initJobPrefix}-${hash}`, script };
}
