/**
 * The desired children of an OpenWhisk, computed purely. Nothing at all until its CouchDB is usable (status says
 * Waiting); then the auth Secrets (`createOnce`: generated once, never overwritten), runtimes, RBAC, the controller,
 * its Service, and, once every auth Secret can be read, the init Job that writes the databases and subjects.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '#shared/kube/types.ts';
import { controllerReference, nimbusLabels, selectorLabels, shortHash, tenantOf } from '#shared/objects/index.ts';
import { renderTemplate, secretLiteral } from '#shared/render/index.ts';
import { controllerConfig, limitsOf } from './controller-config.ts';
import { couchdbAccess, type CouchDBAccess } from './couchdb-access.ts';
import { designDocPlan, designDocsMountPath, designDocumentsConfigMap } from './design-docs.ts';
import { databaseNames } from './init-script.ts';
import { initJobName, initScript } from './init-job.ts';
import { authSecretName, databasePrefixOf, namespacesOf, openwhiskNames } from './names.ts';

export { initJobName } from './init-job.ts';
import { runtimesJson } from './runtimes.ts';
import {
  apiPort, controllerPort, defaultControllerImage, defaultControllerResources, openwhiskInitImage, type OpenWhisk,
} from './types.ts';

/** What `observe(cr, kube)` reads for the OpenWhisk operator. */
export interface OpenWhiskObserved {
  /** `spec.couchdb.ref`: the CouchDB object (its status says Ready, endpoint and secretName). */
  couchdb?: KubeObject | undefined;
  /** `spec.couchdb.url`: the `secretRef` Secret (only its existence matters here). */
  couchdbSecret?: KubeObject | undefined;
  /** OpenWhisk namespace → its auth Secret as read (`authSecretName`); absent ones are still to be created. */
  authSecrets?: Record<string, KubeObject | undefined>;
  deployment?: KubeObject | undefined;
  /** `spec.designDocuments.configMapRef`: the user's ConfigMap of design documents. */
  designDocuments?: KubeObject | undefined;
  /** The init Job of the current inputs (named by `initJobName`). */
  initJob?: KubeObject | undefined;
}

export interface Desired {
  apply: KubeObject[];
  createOnce: KubeObject[];
}

/** The source of randomness for generated keys (`crypto.randomBytes`; tests pass a deterministic one). */
export type RandomBytes = (size: number) => Buffer;

const template = (file: string): string => fileURLToPath(new URL(`./templates/${file}`, import.meta.url));

/** The children an OpenWhisk should have now. */
export function desired(cr: OpenWhisk, observed: OpenWhiskObserved, random: RandomBytes = randomBytes): Desired {
  const access = couchdbAccess(cr, observed);
  if (!access.ok) return { apply: [], createOnce: [] };
  const data = templateData(cr, observed, access);
  const apply = [
    ...renderTemplate(template('runtimes.yaml.hbs'), data),
    ...renderTemplate(template('rbac.yaml.hbs'), data),
    ...renderTemplate(template('service.yaml.hbs'), data),
    ...renderTemplate(template('deployment.yaml.hbs'), data),
  ];
  const jobName = initJobName(cr, observed);
  if (jobName) {
    apply.push(...renderTemplate(template('init-job.yaml.hbs'), { ...data, initJobName: jobName }));
  }
  const createOnce = namespacesOf(cr).map((ns) => authSecret(cr, ns, random));
  return { apply: apply.map((o) => owned(cr, o)), createOnce: createOnce.map((o) => owned(cr, o)) };
}

function templateData(cr: OpenWhisk, observed: OpenWhiskObserved, access: CouchDBAccess) {
  const instance = cr.metadata.name ?? '';
  const labels = (component: string) =>
    nimbusLabels({ app: 'openwhisk', instance, component, operator: 'openwhisk', tenant: tenantOf(cr) });
  const limits = limitsOf(cr);
  const runtimes = runtimesJson();
  return {
    names: openwhiskNames(cr),
    namespace: cr.metadata.namespace ?? 'default',
    labels: { controller: labels('controller'), config: labels('config'), init: labels('init') },
    selector: selectorLabels('openwhisk', instance),
    image: cr.spec?.image ?? defaultControllerImage,
    resources: cr.spec?.resources ?? defaultControllerResources,
    controllerPort,
    apiPort,
    initImage: openwhiskInitImage,
    runtimesJson: runtimes,
    runtimesHash: shortHash(runtimes),
    limits: {
      invocationsPerMinute: String(limits.invocationsPerMinute),
      concurrentInvocations: String(limits.concurrentInvocations),
      firesPerMinute: String(limits.firesPerMinute),
      sequenceMaxLength: String(limits.sequenceMaxLength),
    },
    config: controllerConfig(cr, access),
    databases: databaseNames(databasePrefixOf(cr)),
    couchdb: {
      url: access.url,
      usernameRef: { name: access.secretName, key: access.usernameKey },
      passwordRef: { name: access.secretName, key: access.passwordKey },
    },
    initScript: initScript(cr, observed, access),
    waitForPath: waitForPath(databaseNames(databasePrefixOf(cr)).subjects, observed),
    designDocsConfigMap: designDocumentsConfigMap(cr),
    designDocsMountPath,
    authEnv: namespacesOf(cr).map((ns, i) => ({ name: `AUTH_${i}`, secret: authSecretName(cr, ns) })),
  };
}

/**
 * `<subjects db>/<its first design document>`: what the controller needs before it can authenticate anyone; just the
 * database when no design documents are provided (the controller then starts, but cannot answer queries).
 */
function waitForPath(subjectsDb: string, observed: OpenWhiskObserved): string {
  const first = designDocPlan(observed.designDocuments).docs.find((doc) => doc.database === 'subjects');
  return first ? `${subjectsDb}/${first.id}` : subjectsDb;
}

/** A new OpenWhisk auth: `<uuid>:<64-char key>`, as `wsk` expects it. */
function authSecret(cr: OpenWhisk, ns: string, random: RandomBytes): KubeObject {
  const uuid = uuidV4(random(16));
  const key = random(32).toString('hex');
  const labels = nimbusLabels({
    app: 'openwhisk', instance: cr.metadata.name ?? '', component: 'credentials', operator: 'openwhisk', tenant: tenantOf(cr),
  });
  return secretLiteral(authSecretName(cr, ns), cr.metadata.namespace ?? 'default', {
    namespace: ns, uuid, key, auth: `${uuid}:${key}`,
  }, { labels });
}

function uuidV4(bytes: Buffer): string {
  const b = Buffer.from(bytes);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Every child lives in the CR's namespace and is owned (garbage-collected) by it. */
function owned(cr: OpenWhisk, object: KubeObject): KubeObject {
  return {
    ...object,
    metadata: { ...object.metadata, namespace: cr.metadata.namespace ?? 'default', ownerReferences: [controllerReference(cr)] },
  };
}
