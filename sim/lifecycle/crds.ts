/**
 * CustomResourceDefinitions: create/update defaults and checks, and the controller that establishes a CRD (status
 * conditions NamesAccepted + Established, acceptedNames, storedVersions), serves its resources in every served
 * version, and on deletion deletes its custom resources (honouring their finalizers) before the CRD goes.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { AdmissionContext, Cause, ResourceInfo } from '#sim/types.ts';
import type { Api } from '#sim/store/api.ts';
import { nowTime } from '#sim/store/ids.ts';

export const CRD_KEY = 'apiextensions.k8s.io/customresourcedefinitions';
const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';
const CR_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

type Rec = Record<string, unknown>;
function rec(v: unknown): Rec { return v && typeof v === 'object' && !Array.isArray(v) ? v as Rec : {}; }
function recs(v: unknown): Rec[] { return Array.isArray(v) ? v.map(rec) : []; }
function str(v: unknown, fallback = ''): string { return typeof v === 'string' ? v : fallback; }

/** Kubernetes version priority: v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > others (alphabetical). */
export function versionPriority(a: string, b: string): number {
  const parse = (v: string): [number, number, number] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    return [Number(m[1]), m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2, Number(m[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa && !pb) return -1;
  if (!pa && pb) return 1;
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  if (pa[1] !== pb[1]) return pb[1] - pa[1];
  if (pa[0] !== pb[0]) return pb[0] - pa[0];
  return pb[2] - pa[2];
}

/** The resources a CRD serves (one per served version, preferred version first). */
export function crdResources(crd: KubeObject): ResourceInfo[] {
  const spec = rec(crd.spec);
  const names = rec(spec.names);
  const group = str(spec.group);
  const kind = str(names.kind);
  const versions = recs(spec.versions).filter((v) => v.served !== false);
  versions.sort((a, b) => versionPriority(String(a.name), String(b.name)));
  return versions.map((v) => {
    const info: ResourceInfo = {
      group, version: String(v.name), name: str(names.plural), singularName: str(names.singular, kind.toLowerCase()),
      kind, namespaced: spec.scope !== 'Cluster', verbs: CR_VERBS, subresources: Object.keys(rec(v.subresources)),
    };
    if (Array.isArray(names.shortNames) && names.shortNames.length) info.shortNames = names.shortNames.map(String);
    if (Array.isArray(names.categories) && names.categories.length) info.categories = names.categories.map(String);
    return info;
  });
}

/** Defaults a CRD like the apiextensions strategy does, then runs `check` (structural schema etc.). */
export function crdStrategy(check: (crd: KubeObject) => Cause[]) {
  return (obj: KubeObject, ctx: AdmissionContext): Cause[] => {
    if (ctx.subresource === 'status') return [];
    const spec = rec(obj.spec);
    const names = rec(spec.names);
    if (names.kind && !names.listKind) names.listKind = `${str(names.kind)}List`;
    if (names.kind && !names.singular) names.singular = str(names.kind).toLowerCase();
    spec.names = names;
    if (!spec.conversion) spec.conversion = { strategy: 'None' };
    obj.spec = spec;
    const storage = recs(spec.versions).find((v) => v.storage === true);
    if (ctx.operation === 'create') {
      obj.status = { acceptedNames: { plural: '', kind: '' }, storedVersions: storage ? [String(storage.name)] : [] };
    }
    return check(obj);
  };
}

/** Runs the CRD controller; returns the stop function and `establishNow` for CRDs loaded at start. */
export function startCrdController(api: Api, onError: (err: unknown) => void): { stop(): void; establishNow(name: string): void } {
  const crdServed = (): ReturnType<typeof api.registry.byKey> => api.registry.byKey(CRD_KEY);

  const establish = (name: string): void => {
    const s = crdServed();
    const crd = api.objects.get(CRD_KEY, '', name);
    if (!s || !crd || crd.metadata.deletionTimestamp) return;
    const spec = rec(crd.spec);
    const status = rec(crd.status);
    const conditions = recs(status.conditions);
    const established = conditions.some((c) => c.type === 'Established' && c.status === 'True');
    const storage = recs(spec.versions).find((v) => v.storage === true);
    const stored = Array.isArray(status.storedVersions) ? status.storedVersions.map(String) : [];
    if (storage && !stored.includes(String(storage.name))) stored.push(String(storage.name));
    const accepted = rec(spec.names);
    const needsWrite = !established || JSON.stringify(status.acceptedNames) !== JSON.stringify(accepted) || stored.length !== (Array.isArray(status.storedVersions) ? status.storedVersions.length : -1);
    let current = crd;
    if (needsWrite) {
      const t = nowTime();
      const next: KubeObject = {
        ...crd,
        status: {
          ...status,
          conditions: established ? conditions : [
            { type: 'NamesAccepted', status: 'True', lastTransitionTime: t, reason: 'NoConflicts', message: 'no conflicts found' },
            { type: 'Established', status: 'True', lastTransitionTime: t, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
          ],
          acceptedNames: accepted,
          storedVersions: stored,
        },
      };
      current = api.update(s, undefined, name, next, {}, 'status');
    }
    api.registry.registerCrd(current, crdResources(current));
  };

  /** Storage key of the custom resources of a CRD being deleted → the CRD's name. */
  const terminatingKeys = new Map<string, string>();

  const setTerminating = (name: string, condition: Rec): KubeObject | undefined => {
    const s = crdServed();
    const crd = api.objects.get(CRD_KEY, '', name);
    if (!s || !crd) return undefined;
    const status = rec(crd.status);
    const conditions = recs(status.conditions);
    const old = conditions.find((c) => c.type === 'Terminating');
    if (old && old.status === condition.status && old.reason === condition.reason) return crd;
    const next = { type: 'Terminating', ...condition, lastTransitionTime: old && old.status === condition.status ? old.lastTransitionTime : nowTime() };
    const rest = conditions.filter((c) => c.type !== 'Terminating');
    return api.update(s, undefined, name, { ...crd, status: { ...status, conditions: [...rest, next] } }, {}, 'status');
  };

  /**
   * The CRD finalizer: deletes every custom resource through the API (their own finalizers run: operators see a
   * deletionTimestamp), waits until none is left (each removal re-runs this), then lets the CRD go.
   */
  const cleanup = (name: string): void => {
    const s = crdServed();
    if (!s || !api.objects.get(CRD_KEY, '', name)) return;
    const served = api.registry.crdServed(name)[0];
    if (served) {
      terminatingKeys.set(served.key, name);
      setTerminating(name, { status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' });
      for (const o of [...api.objects.list(served.key, undefined)]) {
        if (o.metadata.deletionTimestamp) continue;
        try { api.delete(served, o.metadata.namespace, o.metadata.name ?? '', {}); } catch { /* gone meanwhile */ }
      }
      if ([...api.objects.list(served.key, undefined)].length > 0) return;
      terminatingKeys.delete(served.key);
    }
    const done = setTerminating(name, { status: 'False', reason: 'InstanceDeletionCompleted', message: 'removed all instances' });
    if (!done) return;
    api.registry.unregisterCrd(name);
    const rest = (done.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
    api.update(s, undefined, name, { ...done, metadata: { ...done.metadata, finalizers: rest } });
  };

  const safely = (fn: () => void): void => {
    setTimeout(() => { try { fn(); } catch (err) { onError(err); } }, 1);
  };

  const unsubscribe = api.objects.subscribeAll((ev) => {
    const waiting = terminatingKeys.get(ev.key);
    if (waiting !== undefined && ev.type === 'DELETED') { safely(() => cleanup(waiting)); return; }
    if (ev.key !== CRD_KEY) return;
    const name = ev.object.metadata.name ?? '';
    if (ev.type === 'DELETED') { api.registry.unregisterCrd(name); return; }
    if (ev.object.metadata.deletionTimestamp) {
      if (ev.object.metadata.finalizers?.includes(CLEANUP_FINALIZER)) safely(() => cleanup(name));
      return;
    }
    safely(() => establish(name));
  });
  return { stop: unsubscribe, establishNow: establish };
}
