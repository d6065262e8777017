/**
 * Types shared by the parts of the embedded API server (server, store, crd, patch, builtins).
 * Each part owns a folder; this file is the seam between them.
 */
import type { KubeObject } from '#shared/kube/types.ts';

/** One entry of `details.causes` in a 422 Invalid Status. */
export interface Cause {
  /** e.g. `spec.replicas`, `metadata.name`, `data[Bad_Key]` */
  field: string;
  /** e.g. `FieldValueRequired`, `FieldValueInvalid`, `FieldValueNotSupported`, `FieldValueTypeInvalid`, `FieldValueForbidden`, `FieldValueDuplicate` */
  reason: string;
  /** The real server's wording, e.g. `Invalid value: 2: spec.replicas in body should be less than or equal to 1` */
  message: string;
}

/** A Kubernetes `Status` error body. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: Cause[]; retryAfterSeconds?: number };
  code: number;
}

/** Thrown anywhere inside the sim; the HTTP layer turns it into the Status answer. */
export class StatusError extends Error {
  override name = 'StatusError';
  readonly body: StatusBody;
  constructor(body: StatusBody) {
    super(body.message);
    this.body = body;
  }
}

/** A served resource (what discovery lists and what the router resolves a path to). */
export interface ResourceInfo {
  /** '' for the core group. */
  group: string;
  version: string;
  /** plural, e.g. `statefulsets` */
  name: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /** e.g. ['status'] or ['status', 'scale'] */
  subresources: string[];
}

/** The operation being admitted. */
export type Operation = 'create' | 'update';

/** What the store hands to admission code that needs to look around (e.g. allocate a ClusterIP). */
export interface AdmissionContext {
  operation: Operation;
  resource: ResourceInfo;
  /** The stored object before this write, for updates. */
  old: KubeObject | undefined;
  /** Which subresource is written: '' for the main endpoint, 'status' for /status. */
  subresource: '' | 'status';
  /**
   * The caller hands the object over (a decoded request body or a patch result, referenced nowhere else): admission
   * may work on it instead of on a deep copy, except for what it shares with `old` (see `adoptSharingManagedFields`).
   */
  owned?: boolean | undefined;
}
