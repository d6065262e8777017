/**
 * The desired children of a CouchDB, computed purely from the CR and what was observed. The Secrets are `createOnce`
 * (generated once, never overwritten); everything else is server-side applied on every reconcile.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '#shared/kube/types.ts';
import { controllerReference, nimbusLabels, selectorLabels, shortHash, tenantOf } from '#shared/objects/index.ts';
import { renderTemplate, secretLiteral } from '#shared/render/index.ts';
import { initJob } from './init-job.ts';
import { adminSecretName, couchdbNames } from './names.ts';
import { workloadReady } from './readiness.ts';
import { couchdbInitImage, couchdbPort, settingsOf, type CouchDB } from './types.ts';

export { initJobName } from './init-job.ts';

/** What `observe(cr, kube)` reads for the CouchDB operator. */
export interface CouchDBObserved {
  statefulSet?: KubeObject | undefined;
  /** The init Job of the current inputs (named by `initJobName`). */
  initJob?: KubeObject | undefined;
  /** The admin Secret in use (`adminSecretName(cr)`): the user's or the generated one. */
  adminSecret?: KubeObject | undefined;
}

/** The reconcile skeleton's input: objects to apply, and Secrets to create only when absent. */
export interface Desired {
  apply: KubeObject[];
  createOnce: KubeObject[];
}

/** The source of randomness for generated credentials (`crypto.randomBytes`; tests pass a deterministic one). */
export type RandomBytes = (size: number) => Buffer;

const template = (file: string): string => fileURLToPath(new URL(`./templates/${file}`, import.meta.url));

/** The children a CouchDB should have now. The init Job appears once the StatefulSet is ready. */
export function desired(cr: CouchDB, observed: CouchDBObserved, random: RandomBytes = randomBytes): Desired {
  const data = templateData(cr);
  const config = renderTemplate(template('configmap.yaml.hbs'), data);
  const configHash = shortHash(JSON.stringify(config.map((c) => c['data'])));
  const apply = [
    ...config,
    ...renderTemplate(template('service-headless.yaml.hbs'), data),
    ...renderTemplate(template('service.yaml.hbs'), data),
    ...renderTemplate(template('statefulset.yaml.hbs'), { ...data, configHash }),
  ];
  if (workloadReady(observed.statefulSet, data.replicas)) {
    apply.push(...renderTemplate(template('init-job.yaml.hbs'), data));
  }
  return { apply: apply.map((o) => owned(cr, o)), createOnce: generatedSecrets(cr, random).map((o) => owned(cr, o)) };
}

function templateData(cr: CouchDB) {
  const settings = settingsOf(cr);
  const names = couchdbNames(cr);
  const instance = cr.metadata.name ?? '';
  const labels = (component: string) =>
    nimbusLabels({ app: 'couchdb', instance, component, operator: 'couchdb', tenant: tenantOf(cr) });
  const job = initJob(cr);
  return {
    names,
    labels: { database: labels('database'), config: labels('config'), init: labels('init') },
    selector: selectorLabels('couchdb', instance),
    port: couchdbPort,
    replicas: settings.replicas,
    singleNode: settings.replicas === 1,
    shardCopies: Math.min(settings.replicas, 3),
    image: settings.image,
    resources: settings.resources,
    storageSize: settings.storageSize,
    storageClassName: settings.storageClassName ?? null,
    adminSecret: adminSecretName(cr),
    nodeNameTemplate: `$(POD_NAME).${names.headlessService}.${cr.metadata.namespace ?? 'default'}.svc`,
    initJobName: job.name,
    initScript: job.script,
    initImage: couchdbInitImage,
  };
}

/** The generated Secrets: the admin credentials (unless the user brings theirs) and the cluster secrets. */
function generatedSecrets(cr: CouchDB, random: RandomBytes): KubeObject[] {
  const names = couchdbNames(cr);
  const namespace = cr.metadata.namespace ?? 'default';
  const labels = nimbusLabels({
    app: 'couchdb', instance: cr.metadata.name ?? '', component: 'credentials', operator: 'couchdb', tenant: tenantOf(cr),
  });
  const secrets = [
    secretLiteral(names.clusterSecret, namespace, {
      erlangCookie: random(24).toString('hex'),
      couchdbSecret: random(24).toString('hex'),
    }, { labels }),
  ];
  if (!cr.spec?.adminSecretRef?.name) {
    secrets.unshift(secretLiteral(names.generatedAdminSecret, namespace, {
      username: 'admin',
      password: random(24).toString('base64url'),
    }, { labels }));
  }
  return secrets;
}

/** Every child lives in the CR's namespace and is owned (garbage-collected) by it. */
function owned(cr: CouchDB, object: KubeObject): KubeObject {
  return {
    ...object,
    metadata: { ...object.metadata, namespace: cr.metadata.namespace ?? 'default', ownerReferences: [controllerReference(cr)] },
  };
}
