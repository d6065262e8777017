/**
 * The desired children of a NatsCluster, computed purely from the CR and what was observed (the user Secrets that
 * already exist): user Secrets (create-once), the nats.conf ConfigMap, client + headless Services, the StatefulSet.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '#shared/kube/types.ts';
import { childName, controllerReference, nimbusLabels, selectorLabels, tenantOf } from '#shared/objects/index.ts';
import { renderTemplate, secretLiteral } from '#shared/render/index.ts';
import { natsNames, renderNatsConf } from './conf.ts';
import { generatePassword, type PasswordHasher } from './passwords.ts';
import { resolveSpec } from './spec.ts';
import { clientPort, clusterPort, type NatsCluster } from './types.ts';

/** What the reconciler read before computing the desired state. */
export interface NatsObserved {
  /** The user Secrets that exist, by Secret name (absent or undefined: not created yet). */
  secrets: Readonly<Record<string, KubeObject | undefined>>;
  /** The StatefulSet as stored, for status. */
  statefulSet?: KubeObject | undefined;
}

export interface NatsDesired {
  /** Applied with server-side apply on every reconcile. */
  apply: KubeObject[];
  /** Generated Secrets: created when absent, never overwritten. */
  createOnce: KubeObject[];
}

export interface NatsDesiredOptions {
  hasher?: PasswordHasher;
  /** Password source for users whose Secret does not exist yet, given that Secret's name (default: crypto-random). */
  newPassword?: (secretName: string) => string;
}

/** The annotation on the pod template that rolls the pods when nats.conf changes. */
export const configHashAnnotation = 'nimbus.dev/config-hash';

/** The Secret holding one user's `username` and `password`. */
export function userSecretName(crName: string, user: string): string {
  return childName(crName, `nats-user-${user}`);
}

/** The user Secrets of `cr`, by user name: what `observe` reads before calling `desired`. */
export function userSecretNames(cr: NatsCluster): Record<string, string> {
  const name = cr.metadata.name ?? '';
  return Object.fromEntries(resolveSpec(cr).users.map((u) => [u.name, userSecretName(name, u.name)]));
}

/** The password stored in an observed Secret, if it has one. */
export function secretPassword(secret: KubeObject | undefined): string | undefined {
  const data = secret?.['data'];
  if (!data || typeof data !== 'object') return undefined;
  const encoded = (data as Record<string, unknown>)['password'];
  return typeof encoded === 'string' ? Buffer.from(encoded, 'base64').toString('utf8') : undefined;
}

function template(file: string): string {
  return fileURLToPath(new URL(`./templates/${file}`, import.meta.url));
}

/**
 * The children of `cr` (read from the API: it needs a uid for owner references). Existing passwords are reused;
 * missing ones are generated, and the config is built with the very passwords the create-once Secrets carry.
 */
export function desired(cr: NatsCluster, observed: NatsObserved, options: NatsDesiredOptions = {}): NatsDesired {
  const spec = resolveSpec(cr);
  const name = cr.metadata.name ?? '';
  const namespace = cr.metadata.namespace ?? '';
  const tenant = tenantOf(cr);
  const labels = nimbusLabels({ app: 'nats', instance: name, component: 'messaging', operator: 'nats', tenant });
  const ownerReferences = [controllerReference(cr)];
  const common = { namespace, labels, ownerReferences };

  const passwords: Record<string, string> = {};
  const createOnce: KubeObject[] = [];
  for (const user of spec.users) {
    const secretName = userSecretName(name, user.name);
    const existing = secretPassword(observed.secrets[secretName]);
    const password = existing ?? (options.newPassword ?? generatePassword)(secretName);
    passwords[user.name] = password;
    if (existing === undefined) {
      // One Secret per user, created once: adding a user creates its Secret and never touches the others.
      const secret = secretLiteral(secretName, namespace, { username: user.name, password }, { labels });
      secret.metadata.ownerReferences = ownerReferences;
      createOnce.push(secret);
    }
  }

  const natsConf = renderNatsConf({
    name,
    namespace,
    spec,
    passwords,
    ...(options.hasher ? { hasher: options.hasher } : {}),
  });
  const data = {
    ...common,
    names: natsNames(name),
    selector: selectorLabels('nats', name),
    replicas: spec.replicas,
    image: spec.image,
    clientPort,
    clusterPort,
    monitoringPort: spec.monitoringPort,
    resources: spec.resources ?? {},
    natsConf,
    configHash: createHash('sha256').update(natsConf).digest('hex').slice(0, 16),
    jetstream: spec.jetstream.enabled && {
      storageSize: spec.jetstream.storageSize,
      storageClassName: spec.jetstream.storageClassName ?? false,
      whenDeleted: spec.jetstream.retainOnDelete ? 'Retain' : 'Delete',
    },
  };
  const apply = ['configmap.yaml.hbs', 'services.yaml.hbs', 'statefulset.yaml.hbs'].flatMap((file) =>
    renderTemplate(template(file), data),
  );
  return { apply, createOnce };
}
