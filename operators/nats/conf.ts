/**
 * `nats.conf`: the data for the template (pure), and its rendering. nats.conf is not YAML, so it is rendered as text
 * with the same Handlebars conventions and helpers as `shared/render` (strict mode, `{{json x}}`, no HTML escaping);
 * `shared/render` itself parses its output as YAML, which nats.conf is not.
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { childName } from '#shared/objects/index.ts';
import { helpers } from '#shared/render/helpers.ts';
import { bcryptHasher, type PasswordHasher } from './passwords.ts';
import { quantityBytes } from './quantity.ts';
import { clientPort, clusterPort, jetstreamStoreDir, type ResolvedNatsSpec, type SubjectPermission } from './types.ts';

export interface NatsConfInput {
  name: string;
  namespace: string;
  spec: ResolvedNatsSpec;
  /** Plain password of every user in `spec.users`, by user name. */
  passwords: Readonly<Record<string, string>>;
  hasher?: PasswordHasher;
  /** Overrides for running the config outside Kubernetes (tests): bind address, ports, JetStream directory. */
  listenHost?: string;
  clientPort?: number;
  storeDir?: string;
}

interface PermissionData {
  direction: 'publish' | 'subscribe';
  allow: string[];
  deny: string[];
}

export interface NatsConfData {
  name: string;
  namespace: string;
  listenHost: string;
  clientPort: number;
  monitoringPort: number;
  jetstream: false | { storeDir: string; maxFileBytes: number; maxMemoryBytes: number };
  cluster: false | { name: string; port: number; routes: string[] };
  users: { name: string; passwordHash: string; permissions: PermissionData[] }[];
}

/** The StatefulSet and headless Service names, shared with `desired.ts` so that routes match the pods. */
export function natsNames(crName: string): { statefulSet: string; headless: string; client: string; config: string } {
  return {
    statefulSet: childName(crName, 'nats'),
    headless: childName(crName, 'nats-headless'),
    client: childName(crName, 'nats'),
    config: childName(crName, 'nats-config'),
  };
}

function permissionData(direction: PermissionData['direction'], rule: SubjectPermission | undefined): PermissionData[] {
  if (!rule) return [];
  const allow = rule.allow ?? [];
  const deny = rule.deny ?? [];
  return allow.length || deny.length ? [{ direction, allow, deny }] : [];
}

/** The template data: bcrypt hashes instead of passwords, sizes in bytes, one route per replica when clustered. */
export function natsConfData(input: NatsConfInput): NatsConfData {
  const { spec, name, namespace } = input;
  const hasher = input.hasher ?? bcryptHasher;
  const names = natsNames(name);
  const routes = Array.from(
    { length: spec.replicas },
    (_, i) => `nats://${names.statefulSet}-${i}.${names.headless}.${namespace}.svc:${clusterPort}`,
  );
  return {
    name,
    namespace,
    listenHost: input.listenHost ?? '0.0.0.0',
    clientPort: input.clientPort ?? clientPort,
    monitoringPort: spec.monitoringPort,
    jetstream: spec.jetstream.enabled && {
      storeDir: input.storeDir ?? jetstreamStoreDir,
      maxFileBytes: quantityBytes(spec.jetstream.storageSize, 'spec.jetstream.storage.size'),
      maxMemoryBytes: quantityBytes(spec.jetstream.memory, 'spec.jetstream.memory'),
    },
    cluster: spec.replicas >= 3 && { name: `${namespace}-${name}`, port: clusterPort, routes },
    users: spec.users.map((user) => {
      const password = input.passwords[user.name];
      if (password === undefined) throw new Error(`natsConfData: no password for user ${user.name}`);
      return {
        name: user.name,
        passwordHash: hasher(password, `${namespace}/${name}/${user.name}`),
        permissions: [
          ...permissionData('publish', user.permissions.publish),
          ...permissionData('subscribe', user.permissions.subscribe),
        ],
      };
    }),
  };
}

const engine = Handlebars.create();
engine.registerHelper(helpers);
let compiled: HandlebarsTemplateDelegate<NatsConfData> | undefined;

/** Renders `templates/nats.conf.hbs`. */
export function renderNatsConf(input: NatsConfInput): string {
  compiled ??= engine.compile<NatsConfData>(
    readFileSync(new URL('./templates/nats.conf.hbs', import.meta.url), 'utf8'),
    { strict: true, noEscape: true },
  );
  return compiled(natsConfData(input));
}
