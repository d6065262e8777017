/**
 * The values of the `<tenant>-env` Secret, read purely from the observed children (their status names the endpoint
 * and the Secret) and those Secrets. Also what the reconciler must read to compute them.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { childName } from '#shared/objects/index.ts';
import { skipReason } from './graph.ts';
import type { BlockName, Tenant } from './types.ts';

/** What the main operator read for one Tenant before computing steps, status and the env Secret. */
export interface TenantObserved {
  /** The tenant Namespace, if it exists. */
  namespace?: KubeObject | undefined;
  /** The child CRs that exist, by block. */
  children: Partial<Record<BlockName, KubeObject>>;
  /** Secrets read in the tenant namespace, by name (see `credentialSecretNames`); includes `<tenant>-env`. */
  secrets: Readonly<Record<string, KubeObject | undefined>>;
  /** Blocks whose child was taken as Ready from a completion event the cache had not caught up with yet. */
  hinted?: BlockName[] | undefined;
}

/** The env Secret's keys, in a stable order. */
export const envKeys = [
  'COUCHDB_URL', 'COUCHDB_USER', 'COUCHDB_PASSWORD', 'NATS_URL', 'NATS_USER', 'NATS_PASSWORD', 'OW_APIHOST', 'OW_AUTH',
] as const;
export type EnvKey = (typeof envKeys)[number];

/** `<tenant>-env` */
export function envSecretName(tenant: Tenant): string {
  return childName(tenant.metadata.name ?? '', 'env');
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A key of a Secret as read from the API (`data`, base64) or as written (`stringData`). */
export function secretValue(secret: KubeObject | undefined, key: string): string | undefined {
  if (!secret) return undefined;
  const plain = str(record(secret['stringData'])[key]);
  if (plain !== undefined) return plain;
  const encoded = str(record(secret['data'])[key]);
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}

/** The OpenWhisk namespace whose auth goes into OW_AUTH: the first listed, else the one named after the tenant. */
export function primaryOpenWhiskNamespace(tenant: Tenant): string {
  return tenant.spec?.openwhisk?.namespaces?.[0] ?? tenant.metadata.name ?? '';
}

interface Source {
  block: BlockName;
  /** Status field holding the endpoint. */
  endpointField: string;
  endpointKey: EnvKey;
  /** The Secret, from the child's status, and the env keys its keys go to. */
  secretName: (status: Record<string, unknown>) => string | undefined;
  keys: [string, EnvKey][];
}

const sources = (tenant: Tenant): Source[] => [
  {
    block: 'couchdb', endpointField: 'endpoint', endpointKey: 'COUCHDB_URL',
    secretName: (s) => str(s['secretName']),
    keys: [['username', 'COUCHDB_USER'], ['password', 'COUCHDB_PASSWORD']],
  },
  {
    block: 'nats', endpointField: 'url', endpointKey: 'NATS_URL',
    secretName: (s) => str(s['secretName']),
    keys: [['username', 'NATS_USER'], ['password', 'NATS_PASSWORD']],
  },
  {
    block: 'openwhisk', endpointField: 'apiHost', endpointKey: 'OW_APIHOST',
    secretName: (s) => str(record(s['authSecrets'])[primaryOpenWhiskNamespace(tenant)]),
    keys: [['auth', 'OW_AUTH']],
  },
];

/** The Secrets the credentials step reads (from the children's status), plus `<tenant>-env` itself. */
export function credentialSecretNames(tenant: Tenant, observed: Pick<TenantObserved, 'children'>): string[] {
  const names = [envSecretName(tenant)];
  for (const source of sources(tenant)) {
    if (skipReason(tenant.spec, source.block) !== undefined) continue;
    const name = source.secretName(record(observed.children[source.block]?.['status']));
    if (name) names.push(name);
  }
  return names;
}

/**
 * The env values of the enabled blocks (keys of disabled blocks are absent), and a description of where they came
 * from; or the first thing still missing.
 */
export function envValues(
  tenant: Tenant,
  observed: TenantObserved,
): { env: Partial<Record<EnvKey, string>>; sources: string } | { waitingFor: string } {
  const env: Partial<Record<EnvKey, string>> = {};
  const used: string[] = [];
  for (const source of sources(tenant)) {
    if (skipReason(tenant.spec, source.block) !== undefined) continue;
    const child = observed.children[source.block];
    if (!child) return { waitingFor: `the ${source.block} child does not exist` };
    const status = record(child['status']);
    const endpoint = str(status[source.endpointField]);
    const secretName = source.secretName(status);
    if (!endpoint || !secretName) {
      return { waitingFor: `${child.kind} ${child.metadata.name ?? ''} has no status.${endpoint ? 'secret' : source.endpointField} yet` };
    }
    const secret = observed.secrets[secretName];
    if (!secret) return { waitingFor: `Secret ${secretName} (of ${child.kind} ${child.metadata.name ?? ''}) has not been read` };
    env[source.endpointKey] = endpoint;
    for (const [from, to] of source.keys) {
      const value = secretValue(secret, from);
      if (value === undefined) return { waitingFor: `Secret ${secretName} has no key ${from}` };
      env[to] = value;
    }
    used.push(`${source.block}:${secretName}`);
  }
  const ordered = Object.fromEntries(envKeys.filter((k) => env[k] !== undefined).map((k) => [k, env[k]]));
  return { env: ordered, sources: used.join(',') };
}
