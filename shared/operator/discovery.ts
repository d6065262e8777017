/** Asking the API server what it serves, for factories that adapt to optional CRDs. */
import { NotFoundError } from '#shared/kube/errors.ts';
import type { KindRef, KubeClient } from '#shared/kube/types.ts';

/**
 * True when the API server serves `kind` (its CRD is installed and established). A controller must not watch a kind
 * that is not served: its informer would never sync and the operator would never be ready.
 */
export async function servesKind(kube: KubeClient, kind: KindRef): Promise<boolean> {
  try {
    // In `kind.namespace` when given: a namespaced operator may not list cluster-wide.
    await kube.list(kind, { limit: 1 });
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}
