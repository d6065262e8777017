/**
 * The status of a NatsCluster, computed purely from the CR and the observed children: Ready when every user Secret
 * exists and the StatefulSet has seen its current spec with all replicas ready and updated. Same shape as the
 * CouchDB operator's status (phase, reason, message, Ready/Progressing conditions, fields, event outputs).
 */
import type { Condition, KubeObject } from '#shared/kube/types.ts';
import { setCondition } from '#shared/objects/index.ts';
import { TerminalError } from '#shared/errors/index.ts';
import { natsNames } from './conf.ts';
import { userSecretName, userSecretNames, type NatsObserved } from './desired.ts';
import { resolveSpec } from './spec.ts';
import { clientPort, type NatsCluster, type NatsPhase } from './types.ts';

export const NatsReasons = ['InvalidSpec', 'SecretsPending', 'StatefulSetNotReady', 'Ready'] as const;
export type NatsReason = (typeof NatsReasons)[number];

/** The kind-specific status fields, written next to phase and conditions. */
export type NatsStatusFields = {
  observedGeneration: number;
  url?: string;
  secretName?: string;
  userSecrets?: Record<string, string>;
  readyReplicas?: number;
};

export interface NatsStatusResult {
  phase: NatsPhase;
  /** The short cause, also the reason of both conditions. */
  reason: NatsReason;
  message: string;
  conditions: Condition[];
  fields: NatsStatusFields;
  /** What the completion event carries in `data.outputs`. */
  outputs: Record<string, string>;
  requeueAfterMs?: number;
}

/** How often to look again while the cluster is not Ready, in case a StatefulSet event is missed. */
export const notReadyRequeueMs = 15_000;

interface Verdict {
  phase: NatsPhase;
  reason: NatsReason;
  message: string;
}

function statusRecord(object: KubeObject | undefined): Record<string, unknown> {
  const value = object?.['status'];
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** Why the StatefulSet is not ready yet, or undefined when it is. */
export function statefulSetBlocker(sts: KubeObject | undefined, replicas: number): string | undefined {
  if (!sts) return 'creating the StatefulSet';
  const status = statusRecord(sts);
  const name = sts.metadata.name ?? '';
  if ((num(status['observedGeneration']) ?? 0) < (sts.metadata.generation ?? 0)) {
    return `StatefulSet ${name}: the StatefulSet controller has not seen the current spec yet`;
  }
  const ready = num(status['readyReplicas']) ?? 0;
  if (ready < replicas) return `StatefulSet ${name}: ${ready}/${replicas} replicas ready`;
  const updated = num(status['updatedReplicas']);
  if (updated !== undefined && updated < replicas) return `StatefulSet ${name}: rolling update, ${updated}/${replicas} replicas updated`;
  return undefined;
}

/** Phase, conditions, fields and event outputs for `cr` given what was observed. */
export function status(cr: NatsCluster, observed: NatsObserved, nowIso: string): NatsStatusResult {
  const generation = cr.metadata.generation ?? 0;
  const name = cr.metadata.name ?? '';
  const fields: NatsStatusFields = { observedGeneration: generation };
  let outputs: Record<string, string> = {};
  let verdict: Verdict;
  try {
    const spec = resolveSpec(cr);
    fields.url = `nats://${natsNames(name).client}.${cr.metadata.namespace ?? 'default'}.svc:${clientPort}`;
    fields.secretName = userSecretName(name, spec.prefix);
    fields.userSecrets = userSecretNames(cr);
    fields.readyReplicas = num(statusRecord(observed.statefulSet)['readyReplicas']) ?? 0;
    const missing = Object.values(fields.userSecrets).filter((secret) => !observed.secrets[secret]);
    const blocker = statefulSetBlocker(observed.statefulSet, spec.replicas);
    if (missing.length > 0) {
      verdict = { phase: 'Pending', reason: 'SecretsPending', message: `creating the user Secret(s) ${missing.join(', ')}` };
    } else if (blocker) {
      verdict = { phase: observed.statefulSet ? 'Provisioning' : 'Pending', reason: 'StatefulSetNotReady', message: blocker };
    } else {
      const servers = `${spec.replicas} server${spec.replicas > 1 ? 's' : ''}`;
      verdict = { phase: 'Ready', reason: 'Ready', message: `NATS is ready at ${fields.url} (${servers})` };
      outputs = { url: fields.url, secretName: fields.secretName };
    }
  } catch (error) {
    if (!(error instanceof TerminalError)) throw error;
    verdict = { phase: 'Failed', reason: 'InvalidSpec', message: error.message };
  }

  const ready = verdict.phase === 'Ready';
  const progressing = verdict.phase === 'Pending' || verdict.phase === 'Provisioning';
  const base = { reason: verdict.reason, message: verdict.message, observedGeneration: generation };
  let conditions = setCondition(cr.status?.conditions, { type: 'Ready', status: ready ? 'True' : 'False', ...base }, nowIso);
  conditions = setCondition(conditions, { type: 'Progressing', status: progressing ? 'True' : 'False', ...base }, nowIso);
  const result: NatsStatusResult = { ...verdict, conditions, fields, outputs };
  if (progressing) result.requeueAfterMs = notReadyRequeueMs;
  return result;
}
