/**
 * Pod template defaults and validation, shared by Deployment, StatefulSet, Job and Pod (k8s.io/kubernetes
 * `pkg/apis/core/v1/defaults.go` and `validation.go`, the parts that matter to the objects Nimbus writes).
 */
import type { Cause } from '#sim/types.ts';
import { duplicate, invalidValue, notSupported, required } from './causes.ts';
import { child, isObject, objects, peek, setDefault } from './json.ts';
import type { JsonObject } from './json.ts';
import { labelErrors } from './names.ts';

/** Options of the pod spec defaulting. */
export interface PodDefaultOptions {
  /** Jobs must state their restartPolicy: the real server does not default it there. */
  defaultRestartPolicy: boolean;
}

/** `Always` for `:latest` or an untagged image, else `IfNotPresent` (a digest counts as a tag). */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return last.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: JsonObject | undefined): void {
  if (!probe) return;
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  const httpGet = peek(probe, 'httpGet');
  if (httpGet) setDefault(httpGet, 'scheme', 'HTTP');
}

function defaultContainer(c: JsonObject): void {
  for (const port of objects(c.ports)) setDefault(port, 'protocol', 'TCP');
  for (const env of objects(c.env)) {
    const fieldRef = peek(peek(env, 'valueFrom'), 'fieldRef');
    if (fieldRef) setDefault(fieldRef, 'apiVersion', 'v1');
  }
  setDefault(c, 'resources', {});
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  if (typeof c.image === 'string') setDefault(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  defaultProbe(peek(c, 'livenessProbe'));
  defaultProbe(peek(c, 'readinessProbe'));
  defaultProbe(peek(c, 'startupProbe'));
}

function defaultVolume(v: JsonObject): void {
  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const source = peek(v, key);
    if (source) setDefault(source, 'defaultMode', 420);
  }
}

/** Applies the pod spec defaults in place. */
export function defaultPodSpec(spec: JsonObject, options: PodDefaultOptions): void {
  for (const c of objects(spec.initContainers)) defaultContainer(c);
  for (const c of objects(spec.containers)) defaultContainer(c);
  for (const v of objects(spec.volumes)) defaultVolume(v);
  if (options.defaultRestartPolicy) setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  // The deprecated alias is filled from serviceAccountName by the v1 conversion.
  if (typeof spec.serviceAccountName === 'string') setDefault(spec, 'serviceAccount', spec.serviceAccountName);
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
}

/** Applies pod template defaults (`metadata.creationTimestamp: null` as Go writes it, then the spec). */
export function defaultPodTemplate(template: JsonObject, options: PodDefaultOptions): void {
  const meta = child(template, 'metadata');
  if (!('creationTimestamp' in meta)) meta.creationTimestamp = null;
  defaultPodSpec(child(template, 'spec'), options);
}

const protocols = ['SCTP', 'TCP', 'UDP'] as const;
const restartPolicies = ['Always', 'OnFailure', 'Never'] as const;

function validateContainers(list: unknown, path: string, volumeNames: Set<string>, causes: Cause[]): void {
  const seen = new Set<string>();
  objects(list).forEach((c, i) => {
    const at = `${path}[${i}]`;
    if (typeof c.name !== 'string' || c.name === '') causes.push(required(`${at}.name`));
    else {
      causes.push(...labelErrors(c.name).map((e) => invalidValue(`${at}.name`, c.name, e)));
      if (seen.has(c.name)) causes.push(duplicate(`${at}.name`, c.name));
      seen.add(c.name);
    }
    if (typeof c.image !== 'string' || c.image.trim() === '') causes.push(required(`${at}.image`));
    objects(c.ports).forEach((p, j) => {
      const port = p.containerPort;
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
        causes.push(invalidValue(`${at}.ports[${j}].containerPort`, port ?? 0, 'must be between 1 and 65535, inclusive'));
      }
      if (typeof p.protocol === 'string' && !(protocols as readonly string[]).includes(p.protocol)) {
        causes.push(notSupported(`${at}.ports[${j}].protocol`, p.protocol, protocols));
      }
    });
    objects(c.env).forEach((e, j) => {
      if (typeof e.name !== 'string' || e.name === '') causes.push(required(`${at}.env[${j}].name`));
    });
    objects(c.volumeMounts).forEach((m, j) => {
      if (typeof m.name !== 'string' || !volumeNames.has(m.name)) {
        causes.push({ field: `${at}.volumeMounts[${j}].name`, reason: 'FieldValueNotFound', message: `Not found: ${JSON.stringify(m.name ?? '')}` });
      }
      if (typeof m.mountPath !== 'string' || m.mountPath === '') causes.push(required(`${at}.volumeMounts[${j}].mountPath`));
    });
  });
}

/** Options of the pod spec validation. */
export interface PodValidateOptions {
  /** Allowed restartPolicy values (all three by default). */
  restartPolicies?: readonly string[];
  /** When restartPolicy is missing: report `Required value` with this detail (Jobs). */
  restartPolicyRequired?: string;
  /** Names usable in volumeMounts besides `spec.volumes` (StatefulSet volumeClaimTemplates). */
  extraVolumeNames?: readonly string[];
}

/** Validates a pod spec found at `path` (e.g. `spec.template.spec`). */
export function validatePodSpec(spec: unknown, path: string, options: PodValidateOptions = {}): Cause[] {
  const causes: Cause[] = [];
  if (!isObject(spec)) return [required(`${path}.containers`)];
  const volumeNames = new Set<string>(options.extraVolumeNames ?? []);
  objects(spec.volumes).forEach((v, i) => {
    if (typeof v.name !== 'string' || v.name === '') causes.push(required(`${path}.volumes[${i}].name`));
    else if (volumeNames.has(v.name)) causes.push(duplicate(`${path}.volumes[${i}].name`, v.name));
    else volumeNames.add(v.name);
  });
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) causes.push(required(`${path}.containers`));
  validateContainers(spec.containers, `${path}.containers`, volumeNames, causes);
  validateContainers(spec.initContainers, `${path}.initContainers`, volumeNames, causes);
  const allowed = options.restartPolicies ?? restartPolicies;
  if (spec.restartPolicy === undefined || spec.restartPolicy === '') {
    if (options.restartPolicyRequired) causes.push(required(`${path}.restartPolicy`, options.restartPolicyRequired));
  } else if (typeof spec.restartPolicy !== 'string' || !allowed.includes(spec.restartPolicy)) {
    causes.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, allowed));
  }
  return causes;
}
