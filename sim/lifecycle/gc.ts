/**
 * The garbage collector: dependents (objects whose ownerReferences name a uid) of a deleted owner are deleted in
 * the background; an owner deleted with `propagationPolicy=Foreground` (finalizer `foregroundDeletion`) waits until
 * its blocking dependents are gone; `Orphan` (finalizer `orphan`) strips the ownerReferences from the dependents.
 * Works asynchronously, like the real controller, a few milliseconds after the change.
 */
import type { KubeObject, ObjectMeta, OwnerReference } from '#shared/kube/types.ts';
import type { Api } from '#sim/store/api.ts';

type Work = { kind: 'dependent'; id: string } | { kind: 'owner'; uid: string };

function without<T>(list: T[], pred: (t: T) => boolean): T[] {
  return list.filter((t) => !pred(t));
}

/** Runs the garbage collector; returns the stop function. */
export function startGarbageCollector(api: Api, onError: (err: unknown) => void): () => void {
  const objects = api.objects;
  const queue = new Map<string, Work>();
  let timer: NodeJS.Timeout | undefined;

  const write = (key: string, next: KubeObject): void => {
    const served = api.registry.byKey(key);
    if (!served) return;
    api.update(served, next.metadata.namespace, next.metadata.name ?? '', next);
  };

  const dependent = (id: string): void => {
    const found = objects.getById(id);
    if (!found) return;
    const { key, object } = found;
    const refs = object.metadata.ownerReferences ?? [];
    const dangling = refs.filter((r) => !objects.hasUid(r.uid));
    if (dangling.length === 0 || object.metadata.deletionTimestamp) return;
    const served = api.registry.byKey(key);
    if (!served) return;
    if (dangling.length === refs.length) {
      api.delete(served, object.metadata.namespace, object.metadata.name ?? '', { propagationPolicy: 'Background' });
      return;
    }
    const kept = without(refs, (r) => dangling.includes(r));
    write(key, { ...object, metadata: { ...object.metadata, ownerReferences: kept } });
  };

  const owner = (uid: string): void => {
    const found = objects.byUidLookup(uid);
    if (!found?.object.metadata.deletionTimestamp) return;
    const { key, object } = found;
    const finalizers = object.metadata.finalizers ?? [];
    const release = (name: string): void => {
      const current = objects.byUidLookup(uid);
      if (!current) return;
      const rest = (current.object.metadata.finalizers ?? []).filter((f) => f !== name);
      const meta = { ...current.object.metadata, finalizers: rest };
      write(key, { ...current.object, metadata: meta });
    };
    if (finalizers.includes('orphan')) {
      for (const id of objects.dependentsOf(uid)) {
        const dep = objects.getById(id);
        if (!dep) continue;
        const kept: OwnerReference[] = without(dep.object.metadata.ownerReferences ?? [], (r) => r.uid === uid);
        const meta: ObjectMeta = { ...dep.object.metadata, ownerReferences: kept };
        if (kept.length === 0) delete meta.ownerReferences;
        write(dep.key, { ...dep.object, metadata: meta });
      }
      release('orphan');
      return;
    }
    if (finalizers.includes('foregroundDeletion')) {
      let blocking = 0;
      for (const id of objects.dependentsOf(uid)) {
        const dep = objects.getById(id);
        if (!dep) continue;
        const ref = dep.object.metadata.ownerReferences?.find((r) => r.uid === uid);
        if (ref?.blockOwnerDeletion) blocking++;
        if (!dep.object.metadata.deletionTimestamp) {
          const served = api.registry.byKey(dep.key);
          if (served) api.delete(served, dep.object.metadata.namespace, dep.object.metadata.name ?? '', { propagationPolicy: 'Foreground' });
        }
      }
      // Dependents removed synchronously above no longer count.
      blocking = objects.dependentsOf(uid).filter((id) => objects.getById(id)?.object.metadata.ownerReferences?.find((r) => r.uid === uid)?.blockOwnerDeletion).length;
      if (blocking === 0) release('foregroundDeletion');
    }
  };

  const run = (): void => {
    timer = undefined;
    const batch = [...queue.values()];
    queue.clear();
    for (const w of batch) {
      try {
        if (w.kind === 'dependent') dependent(w.id); else owner(w.uid);
      } catch (err) {
        onError(err);
      }
    }
  };

  const enqueue = (w: Work): void => {
    queue.set(w.kind === 'dependent' ? `d:${w.id}` : `o:${w.uid}`, w);
    timer ??= setTimeout(run, 2);
  };

  const unsubscribe = objects.subscribeAll((ev) => {
    const meta = ev.object.metadata;
    if (ev.type === 'DELETED') {
      if (meta.uid) for (const id of objects.dependentsOf(meta.uid)) enqueue({ kind: 'dependent', id });
      for (const ref of meta.ownerReferences ?? []) enqueue({ kind: 'owner', uid: ref.uid });
      return;
    }
    if (meta.deletionTimestamp && meta.uid && meta.finalizers?.some((f) => f === 'orphan' || f === 'foregroundDeletion')) {
      enqueue({ kind: 'owner', uid: meta.uid });
    }
    if (ev.type === 'ADDED' && meta.ownerReferences?.some((r) => !objects.hasUid(r.uid))) {
      enqueue({ kind: 'dependent', id: `${ev.key}|${meta.namespace ?? ''}|${meta.name ?? ''}` });
    }
  });
  return () => { unsubscribe(); if (timer) clearTimeout(timer); };
}
