/**
 * Where the OpenWhisk finds its CouchDB: a `CouchDB` in the namespace (once it is Ready, through its status) or an
 * external URL with a credentials Secret. Pure: decided from what was observed.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { isConditionTrue } from '#shared/objects/index.ts';
import type { Condition } from '#shared/kube/types.ts';
import type { OpenWhisk } from './types.ts';

export interface CouchDBAccess {
  ok: true;
  /** `protocol://host:port`, no trailing slash. */
  url: string;
  protocol: 'http' | 'https';
  host: string;
  port: number;
  secretName: string;
  usernameKey: string;
  passwordKey: string;
}

export interface CouchDBUnavailable {
  ok: false;
  reason: 'CouchDBNotReady' | 'CouchDBSecretNotFound' | 'InvalidCouchDBURL';
  message: string;
}

interface CouchDBStatusView { phase?: string; endpoint?: string; secretName?: string; conditions?: Condition[] }

/** How to reach the CouchDB now, or why not yet. `observed.couchdbSecret` is the credentials Secret in url mode. */
export function couchdbAccess(
  cr: OpenWhisk, observed: { couchdb?: KubeObject | undefined; couchdbSecret?: KubeObject | undefined },
): CouchDBAccess | CouchDBUnavailable {
  const spec = cr.spec?.couchdb ?? {};
  const namespace = cr.metadata.namespace ?? 'default';
  if (spec.ref) {
    const couchdb = observed.couchdb;
    if (!couchdb) {
      return {
        ok: false, reason: 'CouchDBNotReady',
        message: `spec.couchdb.ref.name: CouchDB "${spec.ref.name}" not found in namespace "${namespace}"; create it or fix the name`,
      };
    }
    const status = (couchdb['status'] ?? {}) as CouchDBStatusView;
    if (!isConditionTrue(status.conditions, 'Ready') || !status.endpoint || !status.secretName) {
      return {
        ok: false, reason: 'CouchDBNotReady',
        message: `waiting for CouchDB "${spec.ref.name}" to be Ready (now ${status.phase ?? 'Pending'})`,
      };
    }
    return parse(status.endpoint, status.secretName, 'username', 'password', 'status.endpoint of the CouchDB');
  }
  if (spec.url) {
    const secretRef = spec.secretRef;
    if (!secretRef) {
      return { ok: false, reason: 'InvalidCouchDBURL', message: 'spec.couchdb.secretRef is required with spec.couchdb.url' };
    }
    if (!observed.couchdbSecret) {
      return {
        ok: false, reason: 'CouchDBSecretNotFound',
        message: `spec.couchdb.secretRef.name: Secret "${secretRef.name}" not found in namespace "${namespace}"; create it with the CouchDB admin username and password`,
      };
    }
    return parse(spec.url, secretRef.name, secretRef.usernameKey ?? 'username', secretRef.passwordKey ?? 'password', 'spec.couchdb.url');
  }
  return { ok: false, reason: 'InvalidCouchDBURL', message: 'spec.couchdb: set ref (a CouchDB in this namespace) or url + secretRef' };
}

function parse(
  raw: string, secretName: string, usernameKey: string, passwordKey: string, field: string,
): CouchDBAccess | CouchDBUnavailable {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'InvalidCouchDBURL', message: `${field}: "${raw}" is not a URL; use http(s)://host:port` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: 'InvalidCouchDBURL', message: `${field}: "${raw}" must start with http:// or https://` };
  }
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port ? Number(url.port) : protocol === 'https' ? 443 : 80;
  return {
    ok: true, url: `${protocol}://${url.hostname}:${port}`, protocol, host: url.hostname, port,
    secretName, usernameKey, passwordKey,
  };
}
