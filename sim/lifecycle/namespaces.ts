/**
 * Namespaces: create defaults (name label, `kubernetes` finalizer, phase Active) and the namespace controller:
 * a deleted (Terminating) namespace has its contents deleted; then the controller drops its own `kubernetes` entry
 * of `spec.finalizers`, and the namespace disappears once `spec.finalizers` and `metadata.finalizers` are both empty
 * (another spec finalizer keeps it Terminating until someone removes it through `PUT .../finalize`).
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { AdmissionContext } from '#sim/types.ts';
import type { Api } from '#sim/store/api.ts';

export const NAMESPACES_KEY = '/namespaces';
/** The spec finalizer of the namespace controller. */
export const KUBERNETES_FINALIZER = 'kubernetes';

/** The `spec.finalizers` of a namespace. */
export function specFinalizers(ns: KubeObject): string[] {
  const spec = ns.spec as { finalizers?: unknown } | undefined;
  return Array.isArray(spec?.finalizers) ? spec.finalizers.map(String) : [];
}

/**
 * Namespace defaults, enforced on every write like the real strategy does. An update of the main endpoint or of
 * /status keeps the stored spec: `spec.finalizers` changes only through the `finalize` subresource.
 */
export function namespaceStrategy(obj: KubeObject, ctx?: AdmissionContext): [] {
  const name = obj.metadata.name ?? '';
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name };
  if (ctx?.operation === 'update' && ctx.old) {
    if (ctx.old.spec === undefined) delete obj.spec; else obj.spec = structuredClone(ctx.old.spec);
  }
  const spec = (obj.spec && typeof obj.spec === 'object' ? obj.spec : {}) as Record<string, unknown>;
  if (!Array.isArray(spec.finalizers)) spec.finalizers = [KUBERNETES_FINALIZER];
  obj.spec = spec;
  const status = (obj.status && typeof obj.status === 'object' ? obj.status : {}) as Record<string, unknown>;
  if (!status.phase) status.phase = obj.metadata.deletionTimestamp ? 'Terminating' : 'Active';
  obj.status = status;
  return [];
}

/** Runs the namespace controller; returns the stop function. */
export function startNamespaceController(api: Api): () => void {
  const terminating = new Set<string>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const sweep = (ns: string): void => {
    const nsObj = api.objects.get(NAMESPACES_KEY, '', ns);
    if (!nsObj?.metadata.deletionTimestamp) { terminating.delete(ns); return; }
    let remaining = 0;
    for (const served of api.registry.storageResources()) {
      if (!served.info.namespaced) continue;
      for (const o of [...api.objects.list(served.key, ns)]) {
        if (o.metadata.deletionTimestamp) continue;
        try { api.delete(served, ns, o.metadata.name ?? '', {}); } catch { /* gone meanwhile */ }
      }
      remaining += api.objects.count(served.key, ns);
    }
    // Objects held by finalizers keep the namespace Terminating; their removal schedules another sweep.
    if (remaining > 0) return;
    const rest = specFinalizers(nsObj).filter((f) => f !== KUBERNETES_FINALIZER);
    if (rest.length === 0 && !nsObj.metadata.finalizers?.length) {
      terminating.delete(ns);
      api.objects.remove(NAMESPACES_KEY, nsObj);
      return;
    }
    if (rest.length !== specFinalizers(nsObj).length) {
      api.objects.put(NAMESPACES_KEY, { ...nsObj, spec: { ...(nsObj.spec as Record<string, unknown>), finalizers: rest } });
    }
  };

  const schedule = (ns: string): void => {
    pending.add(ns);
    timer ??= setTimeout(() => {
      timer = undefined;
      const batch = [...pending];
      pending.clear();
      for (const ns of batch) sweep(ns);
    }, 1);
  };

  const unsubscribe = api.objects.subscribeAll((ev) => {
    if (ev.key === NAMESPACES_KEY) {
      // Every change of a Terminating namespace (its deletion, a finalizer removed) is a reason to look again.
      if (ev.type !== 'DELETED' && ev.object.metadata.deletionTimestamp) {
        const name = ev.object.metadata.name ?? '';
        terminating.add(name);
        schedule(name);
      }
      return;
    }
    const ns = ev.object.metadata.namespace;
    if (ns && terminating.has(ns) && ev.type === 'DELETED') schedule(ns);
  });
  return () => { unsubscribe(); if (timer) clearTimeout(timer); };
}
