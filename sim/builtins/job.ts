/**
 * Job (batch/v1): defaults, the generated `controller-uid` selector and labels, validation and update rules
 * (template, selector, completions and completionMode are immutable).
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '#shared/kube/types.ts';
import type { Cause } from '#sim/types.ts';
import { immutable, invalidValue } from './causes.ts';
import { child, isObject, jsonEqual, peek, setDefault, stringMap } from './json.ts';
import { defaultPodTemplate, validatePodSpec } from './podspec.ts';
import { validateWorkloadSelector } from './selector.ts';

/** Job defaults (in place); on create also the generated selector, labels and the job-tracking annotation. */
export function defaultJob(obj: KubeObject, creating: boolean): void {
  const spec = child(obj, 'spec');
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', 6);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  const template = child(spec, 'template');
  defaultPodTemplate(template, { defaultRestartPolicy: false });
  if (!creating) return;
  if (spec.manualSelector !== true) {
    // The uid must be known now: the selector names it. The store keeps a uid admission has set.
    obj.metadata.uid ??= randomUUID();
    const uid = obj.metadata.uid;
    const meta = child(template, 'metadata');
    meta.labels = { ...stringMap(meta.labels), 'controller-uid': uid, 'job-name': obj.metadata.name ?? '' };
    spec.selector = { matchLabels: { 'controller-uid': uid } };
  }
  const templateLabels = stringMap(peek(template, 'metadata')?.labels);
  if (templateLabels && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...templateLabels };
  obj.metadata.annotations = { ...obj.metadata.annotations, 'batch.kubernetes.io/job-tracking': '' };
}

function nonNegative(spec: Record<string, unknown>, key: string, causes: Cause[]): void {
  const v = spec[key];
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
    causes.push(invalidValue(`spec.${key}`, v, 'must be greater than or equal to 0'));
  }
}

/** Job validation; `old` is the stored object on update. */
export function validateJob(obj: KubeObject, old: KubeObject | undefined): Cause[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const template = peek(spec, 'template');
  const causes = validateWorkloadSelector(spec.selector, peek(template, 'metadata')?.labels, 'spec', 'job');
  for (const key of ['parallelism', 'completions', 'backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished']) {
    nonNegative(spec, key, causes);
  }
  causes.push(...validatePodSpec(template?.spec, 'spec.template.spec', {
    restartPolicies: ['OnFailure', 'Never'],
    restartPolicyRequired: 'valid values: "OnFailure", "Never"',
  }));
  if (old && isObject(old.spec)) {
    const oldSpec = old.spec;
    for (const key of ['selector', 'completions', 'completionMode']) {
      if (!jsonEqual(oldSpec[key], spec[key])) causes.push(immutable(`spec.${key}`, spec[key]));
    }
    if (!jsonEqual(oldSpec.template, spec.template)) causes.push(immutable('spec.template', 'core.PodTemplateSpec{...}'));
  }
  return causes;
}
