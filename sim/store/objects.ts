/**
 * The raw object store: objects by storage key / namespace / name, one global integer resourceVersion, the change
 * history of each resource and the change listeners. No API semantics here (see `store/api.ts`); objects handed
 * to `put` are owned by the store from then on and never mutated again.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { History } from '#sim/store/history.ts';
import { markStored } from '#sim/store/json.ts';
import type { EventType, StoreEvent } from '#sim/store/history.ts';

export type Listener = (ev: StoreEvent) => void;

export interface ObjectStoreOptions {
  /** Changes kept per resource for watches from a past resourceVersion. */
  historyLimit: number;
  /** Age after which Event changes are compacted (etcd compaction in the real server). */
  compactionMs: number;
}

const COMPACTED_KEYS = new Set(['/events', 'events.k8s.io/events']);

/** `key|ns|name`: one object's identity inside the store. */
export function objectId(key: string, ns: string, name: string): string {
  return `${key}|${ns}|${name}`;
}

export class ObjectStore {
  private rv = 1;
  private data = new Map<string, Map<string, Map<string, KubeObject>>>();
  private histories = new Map<string, History>();
  /** storage key → namespace ('*' for all) → listeners: a change reaches only the watchers of its namespace. */
  private listeners = new Map<string, Map<string, Set<Listener>>>();
  private anyListeners = new Set<Listener>();
  /** uid → object id, to find owners by uid. */
  private byUid = new Map<string, string>();
  /** owner uid → ids of objects that list it in ownerReferences. */
  private dependents = new Map<string, Set<string>>();
  private readonly options: ObjectStoreOptions;

  constructor(options: ObjectStoreOptions) {
    this.options = options;
  }

  /** The current (latest) resourceVersion. */
  get resourceVersion(): number {
    return this.rv;
  }

  get(key: string, ns: string, name: string): KubeObject | undefined {
    return this.data.get(key)?.get(ns)?.get(name);
  }

  /** Objects of a resource, in one namespace or all (`undefined`). */
  *list(key: string, ns: string | undefined): Generator<KubeObject> {
    const byNs = this.data.get(key);
    if (!byNs) return;
    if (ns !== undefined) {
      const m = byNs.get(ns);
      if (m) yield* m.values();
      return;
    }
    for (const m of byNs.values()) yield* m.values();
  }

  /** Number of objects of a resource in a namespace. */
  count(key: string, ns: string): number {
    return this.data.get(key)?.get(ns)?.size ?? 0;
  }

  /** Whether an object with this uid exists. */
  hasUid(uid: string): boolean {
    return this.byUid.has(uid);
  }

  /** The object with this uid, if any. */
  byUidLookup(uid: string): { key: string; object: KubeObject } | undefined {
    const id = this.byUid.get(uid);
    if (!id) return undefined;
    const [key, ns, name] = id.split('|') as [string, string, string];
    const object = this.get(key, ns, name);
    return object ? { key, object } : undefined;
  }

  /** Ids (`key|ns|name`) of the objects whose ownerReferences name this uid. */
  dependentsOf(uid: string): string[] {
    return [...(this.dependents.get(uid) ?? [])];
  }

  /** Resolves an object id. */
  getById(id: string): { key: string; object: KubeObject } | undefined {
    const [key, ns, name] = id.split('|') as [string, string, string];
    const object = this.get(key, ns, name);
    return object ? { key, object } : undefined;
  }

  /** Stores a new or changed object with the next resourceVersion. */
  put(key: string, obj: KubeObject): KubeObject {
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    let byNs = this.data.get(key);
    if (!byNs) { byNs = new Map(); this.data.set(key, byNs); }
    let byName = byNs.get(ns);
    if (!byName) { byName = new Map(); byNs.set(ns, byName); }
    const prev = byName.get(name);
    this.rv++;
    // A fresh metadata: callers build `next` as `{ ...old, spec }`, and writing the resourceVersion into a shared
    // metadata would change the previous (stored, maybe already serialised) object too.
    obj.metadata = { ...obj.metadata, resourceVersion: String(this.rv) };
    byName.set(name, obj);
    markStored(obj);
    const id = objectId(key, ns, name);
    if (obj.metadata.uid) this.byUid.set(obj.metadata.uid, id);
    this.indexOwners(id, prev, obj);
    this.emit(prev ? 'MODIFIED' : 'ADDED', key, obj, prev);
    return obj;
  }

  /**
   * Removes an object; the DELETED event carries it (or `final`, its last state, when an update released it) with
   * the resourceVersion of the deletion.
   */
  remove(key: string, obj: KubeObject, final?: KubeObject): KubeObject | undefined {
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    const byName = this.data.get(key)?.get(ns);
    const prev = byName?.get(name);
    if (!byName || !prev) return undefined;
    byName.delete(name);
    if (byName.size === 0) this.data.get(key)?.delete(ns);
    this.rv++;
    const last = final ?? prev;
    const gone: KubeObject = { ...last, metadata: { ...last.metadata, resourceVersion: String(this.rv) } };
    if (prev.metadata.uid) this.byUid.delete(prev.metadata.uid);
    this.indexOwners(objectId(key, ns, name), prev, undefined);
    this.emit('DELETED', key, gone, prev);
    return gone;
  }

  private indexOwners(id: string, prev: KubeObject | undefined, next: KubeObject | undefined): void {
    for (const ref of prev?.metadata.ownerReferences ?? []) this.dependents.get(ref.uid)?.delete(id);
    for (const ref of next?.metadata.ownerReferences ?? []) {
      let set = this.dependents.get(ref.uid);
      if (!set) { set = new Set(); this.dependents.set(ref.uid, set); }
      set.add(id);
    }
    for (const ref of prev?.metadata.ownerReferences ?? []) {
      if (this.dependents.get(ref.uid)?.size === 0) this.dependents.delete(ref.uid);
    }
  }

  private history(key: string): History {
    let h = this.histories.get(key);
    if (!h) {
      h = new History(this.options.historyLimit, COMPACTED_KEYS.has(key) ? this.options.compactionMs : undefined);
      this.histories.set(key, h);
    }
    return h;
  }

  private emit(type: EventType, key: string, object: KubeObject, prev: KubeObject | undefined): void {
    const ev: StoreEvent = { type, object, prev, rv: this.rv, key, atMs: Date.now() };
    this.history(key).append(ev);
    // A failing listener must not break the write nor starve the other listeners.
    const byNs = this.listeners.get(key);
    if (byNs) {
      for (const set of [byNs.get('*'), byNs.get(object.metadata.namespace ?? '')]) {
        for (const l of set ?? []) {
          try { l(ev); } catch { /* the listener owns its errors */ }
        }
      }
    }
    for (const l of this.anyListeners) {
      try { l(ev); } catch { /* idem */ }
    }
  }

  /** Changes of a resource after `rv`; undefined when `rv` is older than the kept history (410 Expired). */
  since(key: string, rv: number): StoreEvent[] | undefined {
    return this.history(key).since(rv, Date.now());
  }

  /** Listens to the changes of one resource (in one namespace when given); returns the unsubscribe function. */
  subscribe(key: string, l: Listener, namespace?: string): () => void {
    let byNs = this.listeners.get(key);
    if (!byNs) { byNs = new Map(); this.listeners.set(key, byNs); }
    const slot = namespace ?? '*';
    let set = byNs.get(slot);
    if (!set) { set = new Set(); byNs.set(slot, set); }
    set.add(l);
    return () => {
      set.delete(l);
      if (set.size === 0 && byNs.get(slot) === set) byNs.delete(slot);
    };
  }

  /** Listens to every change (controllers of the sim: GC, namespaces, CRDs). */
  subscribeAll(l: Listener): () => void {
    this.anyListeners.add(l);
    return () => { this.anyListeners.delete(l); };
  }

  /** Namespaces (as stored) that hold objects of a resource. */
  namespacesOf(key: string): string[] {
    return [...(this.data.get(key)?.keys() ?? [])];
  }
}
