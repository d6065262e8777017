/**
 * What the NATS operator reads before computing desired state and status: every user Secret (so existing passwords
 * are reused, never regenerated) and the StatefulSet. Reads only; absent objects are `undefined`.
 */
import type { Deps } from '#shared/controller/types.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import { natsNames } from './conf.ts';
import { userSecretNames, type NatsObserved } from './desired.ts';
import type { NatsCluster } from './types.ts';

/** Throws TerminalError (InvalidSpec) for a spec the CRD would refuse, like every pure function of this operator. */
export async function observe(cr: NatsCluster, deps: Pick<Deps, 'kube'>): Promise<NatsObserved> {
  const namespace = cr.metadata.namespace ?? 'default';
  const names = Object.values(userSecretNames(cr));
  const [statefulSet, ...secrets] = await Promise.all([
    deps.kube.tryGet({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace, name: natsNames(cr.metadata.name ?? '').statefulSet }),
    ...names.map((name) => deps.kube.tryGet({ apiVersion: 'v1', kind: 'Secret', namespace, name })),
  ]);
  const byName: Record<string, KubeObject | undefined> = {};
  names.forEach((name, i) => { byName[name] = secrets[i]; });
  return { secrets: byName, statefulSet };
}
