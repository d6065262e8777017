/**
 * The event envelope and subject scheme of DESIGN section 4, as pure functions: no NATS here, so operators and tests
 * can build and read events without a connection.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '#shared/kube/types.ts';
import { EventPhases, type EventPhase, type NimbusEvent, type NimbusEventData } from './types.ts';

/** The prefix every Nimbus event subject starts with; the stream captures `nimbus.events.>`. */
export const subjectPrefix = 'nimbus.events';

/** The tenant label (DESIGN section 8), read into `data.tenant`. */
const tenantLabel = 'nimbus.dev/tenant';

/**
 * `nimbus.events.<kind lower>.<namespace or _>.<name with . → _>`. A `.` would split the name into two subject
 * tokens, and Kubernetes names never contain `_`, so the mapping is reversible.
 */
export function eventSubject(kind: string, namespace: string | undefined, name: string): string {
  return `${subjectPrefix}.${kind.toLowerCase()}.${namespace || '_'}.${name.replaceAll('.', '_')}`;
}

/** The subject filter that matches every event of one kind (optionally in one namespace). */
export function kindFilter(kind: string, namespace?: string): string {
  return `${subjectPrefix}.${kind.toLowerCase()}.${namespace || '*'}.*`;
}

export interface BuildEventInput {
  /** The publishing operator: `couchdb` becomes `/operators/couchdb`; a value starting with `/` is kept as is. */
  source: string;
  /** The object the event is about, as last read (its status carries `observedGeneration`). */
  object: KubeObject;
  phase: EventPhase;
  reason: string;
  message: string;
  /** Non-secret outputs (endpoints, Secret names); never credentials. */
  outputs?: Record<string, string>;
  /** Defaults to now. */
  time?: Date | string;
  /** CloudEvents id; a random UUID by default. */
  id?: string;
}

function observedGenerationOf(object: KubeObject): number {
  const status = object['status'];
  if (typeof status === 'object' && status !== null && 'observedGeneration' in status) {
    const value = (status as { observedGeneration?: unknown }).observedGeneration;
    if (typeof value === 'number') return value;
  }
  return 0;
}

/** Build the CloudEvents envelope for an object. `data.phase` is the event phase (`ready`, `failed`, …). */
export function buildEvent(input: BuildEventInput): NimbusEvent {
  const { object } = input;
  const { name = '', namespace, uid = '', generation = 0, labels } = object.metadata;
  const kind = object.kind;
  const ref: NimbusEventData['ref'] = { apiVersion: object.apiVersion, kind, name, uid };
  if (namespace) ref.namespace = namespace;
  const data: NimbusEventData = {
    ref,
    generation,
    observedGeneration: observedGenerationOf(object),
    phase: input.phase,
    reason: input.reason,
    message: input.message,
    outputs: { ...(input.outputs ?? {}) },
  };
  const tenant = labels?.[tenantLabel];
  if (tenant) data.tenant = tenant;
  const time = input.time === undefined ? new Date() : input.time;
  return {
    specversion: '1.0',
    id: input.id ?? randomUUID(),
    source: input.source.startsWith('/') ? input.source : `/operators/${input.source}`,
    type: `dev.nimbus.${kind.toLowerCase()}.${input.phase}`,
    subject: `${namespace || '_'}/${name}`,
    time: typeof time === 'string' ? time : time.toISOString(),
    datacontenttype: 'application/json',
    data,
  };
}

/** The NATS subject an event is published on. */
export function subjectOf(event: NimbusEvent): string {
  return eventSubject(event.data.ref.kind, event.data.ref.namespace, event.data.ref.name);
}

/** The event phase from `type` (`dev.nimbus.<kind>.<phase>`), when it is one Nimbus knows. */
export function eventPhase(event: NimbusEvent): EventPhase | undefined {
  const last = event.type.slice(event.type.lastIndexOf('.') + 1);
  return (EventPhases as readonly string[]).includes(last) ? (last as EventPhase) : undefined;
}

/** `Nats-Msg-Id` = `<uid>/<generation>/<phase>`: a retried publish of the same fact is stored once. */
export function messageId(event: NimbusEvent): string {
  const phase = event.type.slice(event.type.lastIndexOf('.') + 1) || event.data.phase;
  return `${event.data.ref.uid}/${event.data.generation}/${phase}`;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * Read an event from JSON: text, bytes (`Uint8Array`) or an already parsed value. Tolerant by design: unknown fields are ignored,
 * unknown types are returned (the consumer decides), missing optional fields get neutral defaults. Returns
 * `undefined` only when the payload is not JSON or lacks what a consumer needs to act: `id`, `type`, and
 * `data.ref` with `kind` and `name`.
 */
export function parseEvent(json: unknown): NimbusEvent | undefined {
  let value: unknown = json;
  if (typeof json === 'string' || json instanceof Uint8Array) {
    try {
      value = JSON.parse(typeof json === 'string' ? json : new TextDecoder().decode(json));
    } catch {
      return undefined;
    }
  }
  const root = record(value);
  const data = record(root?.['data']);
  const ref = record(data?.['ref']);
  const id = str(root?.['id']);
  const type = str(root?.['type']);
  const kind = str(ref?.['kind']);
  const name = str(ref?.['name']);
  if (!root || !data || !ref || !id || !type || !kind || !name) return undefined;
  const outputs: Record<string, string> = {};
  for (const [key, v] of Object.entries(record(data['outputs']) ?? {})) if (typeof v === 'string') outputs[key] = v;
  const namespace = str(ref['namespace']);
  const parsedRef: NimbusEventData['ref'] = { apiVersion: str(ref['apiVersion']) ?? '', kind, name, uid: str(ref['uid']) ?? '' };
  if (namespace) parsedRef.namespace = namespace;
  const parsedData: NimbusEventData = {
    ref: parsedRef,
    generation: num(data['generation']),
    observedGeneration: num(data['observedGeneration']),
    phase: str(data['phase']) ?? '',
    reason: str(data['reason']) ?? '',
    message: str(data['message']) ?? '',
    outputs,
  };
  const tenant = str(data['tenant']);
  if (tenant) parsedData.tenant = tenant;
  return {
    specversion: '1.0',
    id,
    source: str(root['source']) ?? '',
    type,
    subject: str(root['subject']) ?? `${namespace || '_'}/${name}`,
    time: str(root['time']) ?? '',
    datacontenttype: 'application/json',
    data: parsedData,
  };
}
