/**
 * Kubernetes Events (core/v1) about a reconciled object, what `kubectl describe` shows. Recording an Event never
 * fails a reconcile: a failure is logged and dropped.
 */
import type { KubeClient, KubeObject } from '#shared/kube/types.ts';
import type { Logger } from '#shared/observability/logger.ts';
import { systemClock } from '#shared/clock/index.ts';
import type { Clock } from '#shared/clock/index.ts';

export interface EventInput {
  type: 'Normal' | 'Warning';
  /** UpperCamelCase, e.g. `Ready`, `InvalidSpec`. */
  reason: string;
  message: string;
  /** e.g. `nimbus-couchdb` */
  reportingController: string;
}

/** Creates an Event about `object`; resolves `true` when recorded, `false` when it could not be (logged). */
export async function recordEvent(
  kube: KubeClient, object: KubeObject, event: EventInput, log?: Logger, clock: Clock = systemClock,
): Promise<boolean> {
  const { name = '', namespace, uid, resourceVersion } = object.metadata;
  const nowMs = clock.now();
  const now = clock.nowIso();
  const eventObject: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${name}.${(nowMs * 1000 + Math.floor(Math.random() * 1000)).toString(16)}`, namespace: namespace ?? 'default' },
    involvedObject: { apiVersion: object.apiVersion, kind: object.kind, name, namespace, uid, resourceVersion },
    type: event.type,
    reason: event.reason,
    message: event.message.slice(0, 1024),
    count: 1,
    firstTimestamp: now,
    lastTimestamp: now,
    source: { component: event.reportingController },
    reportingComponent: event.reportingController,
    reportingInstance: event.reportingController,
  };
  try {
    await kube.create(eventObject);
    return true;
  } catch (error) {
    log?.warn({ err: error, reason: event.reason }, 'could not record a Kubernetes Event');
    return false;
  }
}
