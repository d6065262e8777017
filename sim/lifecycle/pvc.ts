/**
 * The pvc-protection controller: a deleted PersistentVolumeClaim loses its `kubernetes.io/pvc-protection`
 * finalizer (the sim runs no pods that could use it), so it goes away shortly after the DELETE.
 */
import type { Api } from '#sim/store/api.ts';

const PVC_KEY = '/persistentvolumeclaims';
const FINALIZER = 'kubernetes.io/pvc-protection';

/** Runs the controller; returns the stop function. */
export function startPvcProtection(api: Api, onError: (err: unknown) => void): () => void {
  return api.objects.subscribeAll((ev) => {
    if (ev.key !== PVC_KEY || ev.type === 'DELETED') return;
    const meta = ev.object.metadata;
    if (!meta.deletionTimestamp || !meta.finalizers?.includes(FINALIZER)) return;
    setTimeout(() => {
      try {
        const s = api.registry.byKey(PVC_KEY);
        const cur = api.objects.get(PVC_KEY, meta.namespace ?? '', meta.name ?? '');
        if (!s || !cur?.metadata.finalizers?.includes(FINALIZER)) return;
        const rest = cur.metadata.finalizers.filter((f) => f !== FINALIZER);
        api.update(s, meta.namespace, meta.name ?? '', { ...cur, metadata: { ...cur.metadata, finalizers: rest } });
      } catch (err) {
        onError(err);
      }
    }, 5);
  });
}
