/**
 * Where the API server is and how to authenticate, for the common cases, without `@kubernetes/client-node`: its
 * `KubeConfig` pulls in the whole generated API (about 60 MiB of resident memory per process, measured in
 * bench/README.md), and an operator only needs a server URL, TLS material and a header. Handled here: the in-cluster
 * service account (token re-read as it rotates), and kubeconfig files with a bearer token (inline or file), client
 * certificates, basic auth or no credentials. Anything else (`exec` plugins, `auth-provider`, proxies) returns
 * `undefined`, and the adapter falls back to client-node's `KubeConfig`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import * as yaml from 'js-yaml';
import type { TlsMaterial } from './http.ts';

/** The server and credentials a client sends every request with. */
export interface Connection {
  server: string;
  tls: TlsMaterial;
  /** Headers to add (Authorization); read per request, because tokens rotate. */
  headers(): Record<string, string> | Promise<Record<string, string>>;
}

export interface ConnectionOptions {
  kubeconfigPath?: string | undefined;
  inCluster?: boolean | undefined;
  bearerToken?: string | undefined;
}

/** Where a pod finds its service account. */
export const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';
/** How long a token read from a file is used before reading the file again (client-go: 1 minute). */
const tokenFileTtlMs = 60_000;

type Entry = Record<string, unknown>;

function record(value: unknown): Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Entry) : {};
}
function str(entry: Entry, key: string): string | undefined {
  const value = entry[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
function named(list: unknown, name: string | undefined, field: string): Entry | undefined {
  if (!Array.isArray(list) || name === undefined) return undefined;
  const found = list.map(record).find((item) => item['name'] === name);
  return found ? record(found[field]) : undefined;
}

/** A token that a file holds, re-read after `tokenFileTtlMs`. */
function tokenFromFile(path: string): () => string {
  let token = '';
  let readAtMs = -Infinity;
  return () => {
    if (Date.now() - readAtMs > tokenFileTtlMs) {
      token = readFileSync(path, 'utf8').trim();
      readAtMs = Date.now();
    }
    return token;
  };
}

function bearer(token: () => string): () => Record<string, string> {
  return () => {
    const value = token();
    return value ? { Authorization: `Bearer ${value}` } : {};
  };
}

/** The in-cluster connection: `KUBERNETES_SERVICE_HOST/PORT` and the mounted service account. */
export function inClusterConnection(bearerToken?: string): Connection {
  const host = process.env['KUBERNETES_SERVICE_HOST'];
  const port = process.env['KUBERNETES_SERVICE_PORT'];
  if (!host || !port) throw new Error('not running in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set');
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const caPath = join(serviceAccountDir, 'ca.crt');
  const tls: TlsMaterial = existsSync(caPath) ? { ca: readFileSync(caPath) } : {};
  const token = bearerToken ? () => bearerToken : tokenFromFile(join(serviceAccountDir, 'token'));
  return { server, tls, headers: bearer(token) };
}

/** Inline base64 data, or a file (relative to the kubeconfig's folder). */
function material(entry: Entry, key: string, baseDir: string): Buffer | undefined {
  const data = str(entry, `${key}-data`);
  if (data) return Buffer.from(data, 'base64');
  const path = str(entry, key);
  if (path) return readFileSync(isAbsolute(path) ? path : join(baseDir, path));
  return undefined;
}

/**
 * The connection a kubeconfig file describes (its current context), or `undefined` when it needs what only
 * client-node implements (exec credential plugins, auth providers, proxies).
 */
export function kubeconfigConnection(path: string, bearerToken?: string): Connection | undefined {
  const config = record(yaml.load(readFileSync(path, 'utf8')));
  const contextName = str(config, 'current-context');
  const context = named(config['contexts'], contextName, 'context');
  if (!context) throw new Error(`kubeconfig ${path}: current context ${contextName ?? '(none)'} not found`);
  const cluster = named(config['clusters'], str(context, 'cluster'), 'cluster');
  const server = cluster ? str(cluster, 'server') : undefined;
  if (!cluster || !server) throw new Error(`kubeconfig ${path}: cluster ${str(context, 'cluster') ?? '(none)'} has no server`);
  const user = named(config['users'], str(context, 'user'), 'user') ?? {};
  if (str(cluster, 'proxy-url') || (!bearerToken && (user['exec'] !== undefined || user['auth-provider'] !== undefined))) return undefined;
  const baseDir = dirname(path);
  const tls: TlsMaterial = {};
  const ca = material(cluster, 'certificate-authority', baseDir);
  if (ca) tls.ca = ca;
  if (cluster['insecure-skip-tls-verify'] === true) tls.rejectUnauthorized = false;
  const serverName = str(cluster, 'tls-server-name');
  if (serverName) tls.servername = serverName;
  if (bearerToken) return { server, tls, headers: bearer(() => bearerToken) };
  const cert = material(user, 'client-certificate', baseDir);
  const key = material(user, 'client-key', baseDir);
  if (cert && key) { tls.cert = cert; tls.key = key; }
  const token = str(user, 'token');
  const tokenFile = str(user, 'tokenFile');
  if (token) return { server, tls, headers: bearer(() => token) };
  if (tokenFile) return { server, tls, headers: bearer(tokenFromFile(isAbsolute(tokenFile) ? tokenFile : join(baseDir, tokenFile))) };
  const username = str(user, 'username');
  const password = str(user, 'password');
  if (username !== undefined && password !== undefined) {
    const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    return { server, tls, headers: () => ({ Authorization: basic }) };
  }
  return { server, tls, headers: () => ({}) };
}

/** The kubeconfig file kubectl would read: the first existing path of `$KUBECONFIG`, else `~/.kube/config`. */
export function defaultKubeconfigPath(): string | undefined {
  const fromEnv = (process.env['KUBECONFIG'] ?? '').split(':').find((path) => path !== '' && existsSync(path));
  if (fromEnv) return fromEnv;
  const home = join(homedir(), '.kube', 'config');
  return existsSync(home) ? home : undefined;
}

/**
 * The connection for the options: an explicit kubeconfig, else in-cluster when asked, else the default kubeconfig,
 * else in-cluster. `undefined`: the kubeconfig needs client-node (see the file comment).
 */
export function loadConnection(options: ConnectionOptions): Connection | undefined {
  if (options.kubeconfigPath) return kubeconfigConnection(options.kubeconfigPath, options.bearerToken);
  if (options.inCluster) return inClusterConnection(options.bearerToken);
  const path = defaultKubeconfigPath();
  return path ? kubeconfigConnection(path, options.bearerToken) : inClusterConnection(options.bearerToken);
}
