/**
 * The API semantics over the raw store: create/update/status/delete with uid, generation, generateName,
 * optimistic concurrency, status subresource rules, admission, finalizers and deletion propagation. The HTTP
 * handlers and the sim's own controllers (GC, namespaces, CRDs, kubelet) all write through this class.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { AdmissionContext, Cause } from '#sim/types.ts';
import { StatusError } from '#sim/types.ts';
import type { Registry, Served } from '#sim/resources/registry.ts';
import { GENERATION_RESOURCES, RV_REQUIRED_RESOURCES } from '#sim/resources/builtin.ts';
import type { ObjectStore } from '#sim/store/objects.ts';
import type { Admission } from '#sim/server/admission.ts';
import { deepEqual, sameJson, specChanged } from '#sim/store/equal.ts';
import { recordUpdate } from '#sim/patch/index.ts';
import { nameSuffix, newUid, nowTime } from '#sim/store/ids.ts';
import { alreadyExists, badRequest, conflict, failure, invalid, namespaceNotFound, notFound, qualified } from '#sim/server/status.ts';
import type { Selector } from '#sim/store/selectors.ts';

export interface WriteOptions {
  dryRun?: boolean | undefined;
  /**
   * Records the write in `metadata.managedFields` as an `Update` by this manager (sim/patch `recordUpdate`). Absent
   * for server-side apply (which records its own `Apply` entry) and for the sim's own controllers.
   */
  fieldManager?: string | undefined;
  /**
   * A request-scoped check of the object about to be admitted (RBAC escalation), with the stored object on updates:
   * throws a StatusError to refuse the write. Runs before admission, as the real RBAC storage checks before validation.
   */
  check?: ((obj: KubeObject, old: KubeObject | undefined) => void) | undefined;
  /**
   * The body is the caller's to give away (a decoded request body or a patch result, referenced nowhere else):
   * admission works on it instead of on a deep copy (AdmissionContext `owned`).
   */
  owned?: boolean | undefined;
}
export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';
export interface DeleteOptions extends WriteOptions {
  propagationPolicy?: PropagationPolicy | undefined;
  preconditions?: { uid?: string | undefined; resourceVersion?: string | undefined } | undefined;
}
/** What a DELETE did: `removed` when the object is gone, else it stays with a deletionTimestamp. */
export interface DeleteResult { object: KubeObject; removed: boolean }

/** `ConfigMap` or `Deployment.apps`: how 422 messages name a kind. */
export function kindLabel(s: Served): string {
  return s.info.group ? `${s.info.kind}.${s.info.group}` : s.info.kind;
}

function apiVersionOf(s: Served): string {
  return s.info.group ? `${s.info.group}/${s.info.version}` : s.info.version;
}

function hasStatus(s: Served): boolean {
  return s.info.subresources.includes('status');
}

/**
 * Server-side rules of one built-in kind that are part of the core (namespace and CRD defaults): mutates the object
 * about to be written and answers validation causes.
 */
export type Strategy = (obj: KubeObject, ctx: AdmissionContext) => Cause[];

/**
 * Puts the stored subtrees back where the written object holds an identical copy (admission copies, patches copy):
 * the object is the same, and what compares it with the stored one (generation, managedFields, no-op detection)
 * meets the same node and skips it; the two versions also share the memory of what did not change.
 */
function keepStoredSubtrees(next: KubeObject, old: KubeObject): void {
  for (const key of Object.keys(next)) {
    if (key === 'metadata') continue;
    const v = next[key];
    const o = old[key];
    if (v !== o && typeof v === 'object' && v !== null && sameJson(v, o)) next[key] = o;
  }
}

export class Api {
  readonly registry: Registry;
  readonly objects: ObjectStore;
  admission: Admission;
  /** Core strategies by storage key. */
  readonly strategies = new Map<string, Strategy>();

  constructor(registry: Registry, objects: ObjectStore, admission: Admission) {
    this.registry = registry;
    this.objects = objects;
    this.admission = admission;
  }

  private nsOf(s: Served, ns: string | undefined): string {
    return s.info.namespaced ? (ns ?? '') : '';
  }

  /** The stored object, or 404. */
  get(s: Served, ns: string | undefined, name: string): KubeObject {
    const obj = this.objects.get(s.key, this.nsOf(s, ns), name);
    if (!obj) throw notFound(s.info, name);
    return obj;
  }

  /** Stored objects matching a selector, sorted by namespace/name like etcd keys. */
  list(s: Served, ns: string | undefined, selector: Selector): { items: KubeObject[]; resourceVersion: string } {
    // Keys computed once per object, not twice per comparison (the comparator's strings dominated large lists).
    const keyed: { key: string; object: KubeObject }[] = [];
    for (const o of this.objects.list(s.key, s.info.namespaced ? ns : undefined)) {
      if (selector.matches(o)) keyed.push({ key: `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`, object: o });
    }
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { items: keyed.map((k) => k.object), resourceVersion: String(this.objects.resourceVersion) };
  }

  private checkKind(s: Served, body: KubeObject): void {
    if (body.kind && body.kind !== s.info.kind) {
      const version = (body.apiVersion ?? '').split('/').pop() ?? '';
      throw badRequest(`${body.kind} in version "${version}" cannot be handled as a ${s.info.kind}: converting (${version}.${body.kind}) to (${s.info.kind}): unknown conversion`);
    }
    if (typeof body.metadata !== 'object' || body.metadata === null) body.metadata = {};
  }

  private checkNamespace(s: Served, ns: string | undefined, body: KubeObject): void {
    if (!s.info.namespaced) { delete body.metadata.namespace; return; }
    if (body.metadata.namespace && body.metadata.namespace !== ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    body.metadata.namespace = ns ?? '';
  }

  private admit(s: Served, obj: KubeObject, ctx: AdmissionContext): KubeObject {
    const strategy = this.strategies.get(s.key);
    const early = strategy ? strategy(obj, ctx) : [];
    if (early.length) throw invalid(kindLabel(s), s.info.group, obj.metadata.name ?? '', early);
    const res = s.crd
      ? this.admission.admitCustomResource(s.crd, s.info.version, obj, ctx)
      : this.admission.admitBuiltin(obj, ctx);
    if (res.causes.length) throw invalid(kindLabel(s), s.info.group, res.object.metadata.name ?? obj.metadata.name ?? '', res.causes);
    return res.object;
  }

  /** A Terminating namespace stays while its `spec.finalizers` (the namespace controller's) are not empty. */
  private namespaceHeld(s: Served, obj: KubeObject): boolean {
    const finalizers = (obj.spec as { finalizers?: unknown } | undefined)?.finalizers;
    return s.key === '/namespaces' && Array.isArray(finalizers) && finalizers.length > 0;
  }

  private tracksGeneration(s: Served): boolean {
    return s.crd !== undefined || GENERATION_RESOURCES.has(s.info.name);
  }

  /** POST: creates an object (201). */
  create(s: Served, ns: string | undefined, body: KubeObject, opts: WriteOptions = {}): KubeObject {
    this.checkKind(s, body);
    this.checkNamespace(s, ns, body);
    const meta = body.metadata;
    if (s.info.namespaced) {
      const nsObj = this.objects.get('/namespaces', '', ns ?? '');
      if (!nsObj) throw namespaceNotFound(ns ?? '');
      if (nsObj.metadata.deletionTimestamp) {
        throw new StatusError(failure(403, 'Forbidden',
          `${s.info.group ? `${s.info.name}.${s.info.group}` : s.info.name} "${meta.name ?? ''}" is forbidden: unable to create new content in namespace ${ns ?? ''} because it is being terminated`,
          { name: meta.name ?? '', ...(s.info.group ? { group: s.info.group } : {}), kind: s.info.name,
            causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns ?? ''} is being terminated`, field: 'metadata.namespace' }] }));
      }
    }
    if (s.crd && this.objects.get('apiextensions.k8s.io/customresourcedefinitions', '', s.crd.metadata.name ?? '')?.metadata.deletionTimestamp) {
      throw new StatusError(failure(405, 'MethodNotAllowed', 'create not allowed while custom resource definition is terminating',
        { group: s.info.group, kind: s.info.name }));
    }
    if (!meta.name && !meta.generateName) {
      const causes: Cause[] = [{ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' }];
      throw invalid(kindLabel(s), s.info.group, '', causes);
    }
    if (!meta.name) {
      for (let i = 0; i < 8; i++) {
        const candidate = `${meta.generateName ?? ''}${nameSuffix()}`;
        if (!this.objects.get(s.key, this.nsOf(s, ns), candidate)) { meta.name = candidate; break; }
      }
      if (!meta.name) throw alreadyExists(s.info, `${meta.generateName ?? ''}`);
    }
    body.apiVersion = apiVersionOf(s);
    body.kind = s.info.kind;
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    meta.uid = newUid();
    meta.creationTimestamp = nowTime();
    if (this.tracksGeneration(s)) meta.generation = 1; else delete meta.generation;
    if (hasStatus(s) && s.crd) delete body.status;
    opts.check?.(body, undefined);
    let obj = this.admit(s, body, { operation: 'create', resource: s.info, old: undefined, subresource: '', owned: opts.owned === true });
    if (this.objects.get(s.key, this.nsOf(s, ns), obj.metadata.name ?? '')) {
      this.admission.release(obj);
      throw alreadyExists(s.info, obj.metadata.name ?? '');
    }
    if (opts.dryRun) {
      // Admission allocated (a Service's ClusterIP) for an object that is not stored: give it back.
      this.admission.release(obj);
      return obj;
    }
    if (opts.fieldManager !== undefined) obj = recordUpdate(undefined, obj, opts.fieldManager, '');
    return this.objects.put(s.key, obj);
  }

  /** PUT (main endpoint or `/status`): replaces an object (200); a no-op keeps the resourceVersion. */
  update(s: Served, ns: string | undefined, name: string, body: KubeObject, opts: WriteOptions = {}, subresource: '' | 'status' = ''): KubeObject {
    this.checkKind(s, body);
    if (body.metadata.name !== undefined && body.metadata.name !== name) {
      throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    }
    this.checkNamespace(s, ns, body);
    const old = this.get(s, ns, name);
    const rv = body.metadata.resourceVersion;
    if (rv) {
      if (rv !== old.metadata.resourceVersion) throw conflict(s.info, name);
    } else if (s.crd || RV_REQUIRED_RESOURCES.has(s.info.name)) {
      const message = 'Invalid value: 0x0: must be specified for an update';
      throw new StatusError(failure(422, 'Invalid', `${qualified(s.info)} "${name}" is invalid: metadata.resourceVersion: ${message}`, {
        name, ...(s.info.group ? { group: s.info.group } : {}), kind: s.info.name,
        causes: [{ field: 'metadata.resourceVersion', reason: 'FieldValueInvalid', message }],
      }));
    }
    let next: KubeObject;
    if (subresource === 'status') {
      next = { ...old, metadata: { ...old.metadata } };
      if (body.status === undefined) delete next.status; else next.status = body.status;
    } else {
      next = body;
      if (hasStatus(s)) { if (old.status === undefined) delete next.status; else next.status = old.status; }
      const m = next.metadata;
      m.name = name;
      m.uid = old.metadata.uid ?? '';
      m.creationTimestamp = old.metadata.creationTimestamp ?? '';
      if (old.metadata.deletionTimestamp) {
        m.deletionTimestamp = old.metadata.deletionTimestamp;
        m.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
      } else {
        delete m.deletionTimestamp;
        delete m.deletionGracePeriodSeconds;
      }
      if (m.managedFields === undefined && old.metadata.managedFields) m.managedFields = old.metadata.managedFields;
      if (old.metadata.generation !== undefined) m.generation = old.metadata.generation; else delete m.generation;
    }
    next.apiVersion = apiVersionOf(s);
    next.kind = s.info.kind;
    next.metadata.resourceVersion = old.metadata.resourceVersion ?? '';
    opts.check?.(next, old);
    const admitted = this.admit(s, next, { operation: 'update', resource: s.info, old, subresource, owned: opts.owned === true });
    // Only into admission's own copy: an object admission passed through may be the caller's, who may change it.
    if (admitted !== next) keepStoredSubtrees(admitted, old);
    next = admitted;
    if (this.tracksGeneration(s) && specChanged(old, next, hasStatus(s))) next.metadata.generation = (old.metadata.generation ?? 0) + 1;
    if (opts.fieldManager !== undefined) next = recordUpdate(old, next, opts.fieldManager, subresource);
    if (deepEqual(next, old)) return old;
    if (opts.dryRun) return next;
    if (old.metadata.deletionTimestamp && !(next.metadata.finalizers?.length) && !this.namespaceHeld(s, next)) {
      delete next.metadata.finalizers;
      this.objects.remove(s.key, old, next);
      return next;
    }
    return this.objects.put(s.key, next);
  }

  /** DELETE: removes the object, or marks it deleting when finalizers (or propagation) hold it. */
  delete(s: Served, ns: string | undefined, name: string, opts: DeleteOptions = {}): DeleteResult {
    const old = this.get(s, ns, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw new StatusError(failure(409, 'Conflict',
        `Operation cannot be fulfilled on ${s.info.kind} "${name}": the UID in the precondition (${pre.uid}) does not match the UID in record (${old.metadata.uid ?? ''}). The object might have been deleted and then recreated`,
        { name, ...(s.info.group ? { group: s.info.group } : {}), kind: s.info.kind }));
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw new StatusError(failure(409, 'Conflict',
        `Operation cannot be fulfilled on ${s.info.kind} "${name}": the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${old.metadata.resourceVersion ?? ''}). The object might have been modified`,
        { name, ...(s.info.group ? { group: s.info.group } : {}), kind: s.info.kind }));
    }
    if (old.metadata.deletionTimestamp) return { object: old, removed: false };
    const finalizers = [...(old.metadata.finalizers ?? [])];
    const policy = opts.propagationPolicy;
    if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (policy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    if (s.key === 'apiextensions.k8s.io/customresourcedefinitions') finalizers.push('customresourcecleanup.apiextensions.k8s.io');
    const isNamespace = s.key === '/namespaces';
    if (finalizers.length || isNamespace) {
      const next: KubeObject = {
        ...old,
        metadata: { ...old.metadata, deletionTimestamp: nowTime(), deletionGracePeriodSeconds: 0 },
      };
      if (finalizers.length) next.metadata.finalizers = finalizers;
      if (isNamespace) next.status = { ...(old.status as Record<string, unknown> | undefined), phase: 'Terminating' };
      if (opts.dryRun) return { object: next, removed: false };
      return { object: this.objects.put(s.key, next), removed: false };
    }
    if (opts.dryRun) return { object: old, removed: true };
    return { object: this.objects.remove(s.key, old) ?? old, removed: true };
  }
}
