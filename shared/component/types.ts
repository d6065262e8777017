/** What a component operator (couchdb, nats, openwhisk) supplies to the shared reconcile skeleton. */
import type { KindRef, KubeObject } from '#shared/kube/types.ts';
import type { ConditionInput } from '#shared/objects/conditions.ts';
import type { Deps } from '#shared/controller/types.ts';

/** The children a CR should have. */
export interface DesiredChildren {
  /** Server-side applied on every reconcile (owner reference added by the skeleton). */
  apply: KubeObject[];
  /** Created when absent, never overwritten (e.g. a generated password Secret). */
  createOnce?: KubeObject[] | undefined;
}

/** The status a component computes from what it observed. Conditions get their transition times from the skeleton. */
export interface ComponentStatus {
  /** e.g. `Pending`, `Progressing`, `Waiting`, `Ready`, `Failed`. `Ready` → event `ready`, `Failed` → `failed`. */
  phase: string;
  conditions: ConditionInput[];
  /** Kind-specific status fields: `endpoint`, `secretName`… */
  fields?: Record<string, unknown> | undefined;
  /** Non-secret values for the completion event's `data.outputs`. */
  outputs?: Record<string, string> | undefined;
  /** Reason and message of the phase, for the Event and the NATS event (default: the Ready condition's). */
  reason?: string | undefined;
  message?: string | undefined;
  /** Look again after this long even without an event (e.g. waiting on a Job). */
  requeueAfterMs?: number | undefined;
}

export interface ComponentDefinition<CR extends KubeObject, Observed> {
  /** `couchdb` → finalizer `nimbus.dev/couchdb`, field manager/event source `nimbus-couchdb`. */
  operator: string;
  kind: KindRef;
  /**
   * Read what the desired state depends on (existing Secrets, child readiness, referenced objects). Throw a
   * TerminalError (naming the field) for invalid input, a RetryableError to try again later.
   */
  observe(cr: CR, deps: Deps): Promise<Observed>;
  /** Pure: the children this CR should have. */
  desired(cr: CR, observed: Observed): DesiredChildren;
  /**
   * Everything `desired` reads, as a JSON value (`crInputs(cr)` and what it uses of `observed`): while it stays the
   * same, the skeleton reuses the children computed last time for this CR instead of calling `desired` again
   * (see `desired-memo.ts`). Absent: `desired` runs on every reconcile. Leaving out something `desired` reads
   * would apply out-of-date children: keep the two side by side.
   */
  desiredInputs?(cr: CR, observed: Observed): unknown;
  /** Pure: the status for what was observed. */
  status(cr: CR, observed: Observed, nowIso: string): ComponentStatus;
  /** External cleanup on delete, before the finalizer goes (children go by garbage collection). */
  cleanup?(cr: CR, deps: Deps): Promise<void>;
}
