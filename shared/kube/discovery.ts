/**
 * Resolves apiVersion + kind to a REST path through API discovery, cached per group-version. A kind missing from the
 * cache triggers one fresh read (a CRD may have just been registered).
 */
import { NotFoundError } from './errors.ts';
import { isRecord } from './map-error.ts';

export interface ResolvedResource {
  /** `/api/v1` or `/apis/<group>/<version>` */
  base: string;
  plural: string;
  namespaced: boolean;
}

export type GetJson = (path: string) => Promise<unknown>;

export class Discovery {
  private readonly cache = new Map<string, Promise<Map<string, ResolvedResource>>>();
  private readonly getJson: GetJson;

  constructor(getJson: GetJson) {
    this.getJson = getJson;
  }

  /** The resource for a kind; NotFoundError when the server does not serve it. */
  async resolve(apiVersion: string, kind: string): Promise<ResolvedResource> {
    const found = (await this.load(apiVersion, false)).get(kind) ?? (await this.load(apiVersion, true)).get(kind);
    if (!found) {
      throw new NotFoundError({ code: 404, reason: 'NotFound', message: `the server does not serve ${kind} in ${apiVersion}` });
    }
    return found;
  }

  private load(apiVersion: string, refresh: boolean): Promise<Map<string, ResolvedResource>> {
    const cached = this.cache.get(apiVersion);
    if (cached && !refresh) return cached;
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const loading = this.getJson(base).then((body) => parseResourceList(base, body));
    this.cache.set(apiVersion, loading);
    // A failed read must not poison the cache.
    loading.catch(() => { if (this.cache.get(apiVersion) === loading) this.cache.delete(apiVersion); });
    return loading;
  }
}

function parseResourceList(base: string, body: unknown): Map<string, ResolvedResource> {
  const byKind = new Map<string, ResolvedResource>();
  const resources = isRecord(body) && Array.isArray(body['resources']) ? body['resources'] : [];
  for (const resource of resources) {
    if (!isRecord(resource)) continue;
    const { name, kind, namespaced } = resource;
    if (typeof name !== 'string' || typeof kind !== 'string' || name.includes('/')) continue;
    byKind.set(kind, { base, plural: name, namespaced: namespaced === true });
  }
  return byKind;
}
