/**
 * What each operator would apply for a custom resource, computed with its own pure `desired` function against an
 * empty observed state (nothing exists yet). Objects that wait for something to become ready are not in the output;
 * the notes say which.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { desired as couchdbDesired, initJobName } from '#operators/couchdb/desired.ts';
import type { CouchDB } from '#operators/couchdb/types.ts';
import { desired as natsDesired } from '#operators/nats/desired.ts';
import type { NatsCluster } from '#operators/nats/types.ts';
import { desired as openwhiskDesired } from '#operators/openwhisk/desired.ts';
import { couchdbAccess } from '#operators/openwhisk/couchdb-access.ts';
import { authSecretsOf } from '#operators/openwhisk/names.ts';
import type { OpenWhisk } from '#operators/openwhisk/types.ts';
import { childResource, namespaceObjects, tenantNamespace } from '#operators/main/desired.ts';
import { blockNames, type Tenant } from '#operators/main/types.ts';
import { skipReason } from '#operators/main/graph.ts';
import { readyCouchDB, readyOpenWhisk } from './assume-ready.ts';
import { CliError } from './errors.ts';

export interface RenderOptions {
  /** Render as if everything waited for were ready (init Jobs, an OpenWhisk's children), instead of nothing observed. */
  assumeReady?: boolean | undefined;
}

export interface Rendered {
  /** In apply order. */
  objects: KubeObject[];
  /** Printed as comments: what is not shown and why, placeholders used. */
  notes: string[];
}

/** Stands in for the uid the API server assigns (owner references need one). */
export const placeholderUid = '00000000-0000-0000-0000-000000000000';
/** Generated credentials are shown as zero bytes: the operator generates real random ones when it creates them. */
const zeroBytes = (size: number): Buffer => Buffer.alloc(size);

export const renderableKinds = ['Tenant', 'CouchDB', 'NatsCluster', 'OpenWhisk'] as const;

/** Kubernetes built-in objects (core and `*.k8s.io` groups, apps, batch…): passed through like kustomize does. */
function isBuiltIn(object: KubeObject): boolean {
  const slash = object.apiVersion.indexOf('/');
  if (slash < 0) return true;
  const group = object.apiVersion.slice(0, slash);
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/** The CR as if read back from the API: a uid, and the `default` namespace when a namespaced CR names none. */
function asStored<T extends KubeObject>(cr: T, namespaced: boolean): T {
  const metadata = { ...cr.metadata, uid: cr.metadata.uid ?? placeholderUid };
  if (namespaced) metadata.namespace = cr.metadata.namespace ?? 'default';
  return { ...cr, metadata };
}

function label(cr: KubeObject): string {
  return `${cr.kind} ${cr.metadata.namespace ? `${cr.metadata.namespace}/` : ''}${cr.metadata.name ?? ''}`;
}

function renderCouchDB(input: CouchDB, options: RenderOptions): Rendered {
  const cr = asStored(input, true);
  const out = couchdbDesired(cr, options.assumeReady ? readyCouchDB(cr) : {}, zeroBytes);
  return {
    objects: [...out.createOnce, ...out.apply],
    notes: [
      options.assumeReady
        ? `${label(cr)}: rendered as if its StatefulSet were ready, so the init Job ${initJobName(cr)} is included`
        : `${label(cr)}: the init Job ${initJobName(cr)} is applied once the StatefulSet is ready (not shown; see --assume-ready)`,
      `${label(cr)}: generated Secrets are created once, never overwritten; their values here are placeholders`,
    ],
  };
}

function renderNats(input: NatsCluster): Rendered {
  const cr = asStored(input, true);
  const out = natsDesired(cr, { secrets: {} }, { newPassword: () => 'generated-when-created' });
  return {
    objects: [...out.createOnce, ...out.apply],
    notes: [`${label(cr)}: user Secrets are created once with random passwords; the passwords here are placeholders`],
  };
}

function renderOpenWhisk(input: OpenWhisk, options: RenderOptions): Rendered {
  const cr = asStored(input, true);
  if (options.assumeReady) {
    // Two passes, as two reconciles would: the first creates the auth Secrets, the second sees them (init Job).
    const first = openwhiskDesired(cr, readyOpenWhisk(cr, {}), zeroBytes);
    const byName = new Map(first.createOnce.map((secret) => [secret.metadata.name, secret]));
    const auth: Record<string, KubeObject> = {};
    for (const [ns, secretName] of Object.entries(authSecretsOf(cr))) {
      const secret = byName.get(secretName);
      if (secret) auth[ns] = secret;
    }
    const out = openwhiskDesired(cr, readyOpenWhisk(cr, auth), zeroBytes);
    const notes = [`${label(cr)}: rendered as if its CouchDB were Ready and its auth Secrets created (keys are placeholders)`];
    return { objects: [...out.createOnce, ...out.apply], notes };
  }
  const out = openwhiskDesired(cr, {}, zeroBytes);
  const access = couchdbAccess(cr, {});
  const notes = access.ok ? [] : [
    `${label(cr)}: nothing is applied until its CouchDB is usable (${access.reason}: ${access.message});`
    + ' then: auth Secrets, runtimes ConfigMap, RBAC, controller Deployment and Service, and the init Job (see --assume-ready)',
  ];
  return { objects: [...out.createOnce, ...out.apply], notes };
}

function renderTenant(input: Tenant): Rendered {
  const tenant = asStored(input, false);
  const name = tenant.metadata.name ?? '';
  const objects = namespaceObjects(tenant);
  const notes = [
    `${label(tenant)}: steps run in order namespace → {couchdb, nats} → openwhisk → credentials; each child CR below is`
    + ' applied once the steps it needs are Ready, and its own operator creates its children',
    `${label(tenant)}: the credentials Secret ${tenantNamespace(tenant)}/${name}-env waits for every child's status (not shown)`,
  ];
  for (const block of blockNames) {
    const skipped = skipReason(tenant.spec, block);
    if (skipped) notes.push(`${label(tenant)}: step ${block} ${skipped}`);
    else objects.push(childResource(tenant, block));
  }
  return { objects, notes };
}

/** What the operator of `object`'s kind would apply. Throws CliError for kinds Nimbus does not know. */
export function renderObject(object: KubeObject, options: RenderOptions = {}): Rendered {
  if (object.apiVersion.startsWith('nimbus.dev/')) {
    switch (object.kind) {
      case 'Tenant': return renderTenant(object);
      case 'CouchDB': return renderCouchDB(object, options);
      case 'NatsCluster': return renderNats(object);
      case 'OpenWhisk': return renderOpenWhisk(object, options);
    }
  }
  if (isBuiltIn(object)) return { objects: [object], notes: [] };
  throw new CliError(
    `unknown kind ${object.kind} (${object.apiVersion}) for ${object.metadata.name ?? '<no name>'}: `
    + `nimbus render knows ${renderableKinds.map((k) => `nimbus.dev ${k}`).join(', ')} and passes Kubernetes built-ins through`,
  );
}
