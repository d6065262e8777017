/**
 * In-process access to the sim's objects, by apiVersion/kind, with exactly the semantics of the HTTP API
 * (admission, generation, status subresource, finalizers, conflicts as thrown StatusError). For the simulated
 * kubelet, tests and benchmarks. Objects are copied in and out: callers may mutate what they get.
 */
import type { KindRef, KubeObject, ObjectRef } from '#shared/kube/types.ts';
import type { Api, DeleteOptions, DeleteResult, WriteOptions } from '#sim/store/api.ts';
import type { Served } from '#sim/resources/registry.ts';
import { both, parseFieldSelector, parseLabelSelector } from '#sim/store/selectors.ts';
import { resourceNotFound } from '#sim/server/status.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type WatchListener = (type: WatchEventType, obj: KubeObject) => void;
export interface SelectorOptions { labelSelector?: string; fieldSelector?: string }

export class StoreClient {
  /** The underlying API (resource-level calls, registry, raw store). */
  readonly api: Api;

  constructor(api: Api) {
    this.api = api;
  }

  private served(apiVersion: string, kind: string): Served {
    const s = this.api.registry.byApiVersionKind(apiVersion, kind);
    if (!s) throw resourceNotFound();
    return s;
  }

  /** The current resourceVersion of the whole store. */
  get resourceVersion(): string {
    return String(this.api.objects.resourceVersion);
  }

  /** One object, or undefined. */
  get(ref: ObjectRef): KubeObject | undefined {
    const s = this.served(ref.apiVersion, ref.kind);
    const o = this.api.objects.get(s.key, s.info.namespaced ? ref.namespace ?? '' : '', ref.name);
    return o ? structuredClone(o) : undefined;
  }

  /** Objects of a kind (in one namespace when `ref.namespace` is set). */
  list(ref: KindRef, opts: SelectorOptions = {}): { items: KubeObject[]; resourceVersion: string } {
    const s = this.served(ref.apiVersion, ref.kind);
    const sel = both(parseLabelSelector(opts.labelSelector), parseFieldSelector(opts.fieldSelector, s.info.name));
    const out = this.api.list(s, ref.namespace, sel);
    return { items: out.items.map((o) => structuredClone(o)), resourceVersion: out.resourceVersion };
  }

  /** Creates an object (POST semantics). */
  create(obj: KubeObject, opts: WriteOptions = {}): KubeObject {
    const s = this.served(obj.apiVersion, obj.kind);
    return structuredClone(this.api.create(s, obj.metadata.namespace, structuredClone(obj), opts));
  }

  /** Replaces an object (PUT semantics: status is ignored when the kind has a status subresource). */
  update(obj: KubeObject, opts: WriteOptions = {}): KubeObject {
    const s = this.served(obj.apiVersion, obj.kind);
    return structuredClone(this.api.update(s, obj.metadata.namespace, obj.metadata.name ?? '', structuredClone(obj), opts, ''));
  }

  /** Replaces the status of an object (PUT `/status`). */
  updateStatus(obj: KubeObject, opts: WriteOptions = {}): KubeObject {
    const s = this.served(obj.apiVersion, obj.kind);
    return structuredClone(this.api.update(s, obj.metadata.namespace, obj.metadata.name ?? '', structuredClone(obj), opts, 'status'));
  }

  /** Deletes an object (DELETE semantics). */
  delete(ref: ObjectRef, opts: DeleteOptions = {}): DeleteResult {
    const s = this.served(ref.apiVersion, ref.kind);
    const out = this.api.delete(s, ref.namespace, ref.name, opts);
    return { object: structuredClone(out.object), removed: out.removed };
  }

  /**
   * Calls `listener` for every later change of a kind (in one namespace when set). Returns the unsubscribe
   * function. Listeners run synchronously inside the write: do not write from them directly (defer instead).
   */
  watch(ref: KindRef, listener: WatchListener, opts: SelectorOptions = {}): () => void {
    const s = this.served(ref.apiVersion, ref.kind);
    const sel = both(parseLabelSelector(opts.labelSelector), parseFieldSelector(opts.fieldSelector, s.info.name));
    return this.api.objects.subscribe(s.key, (ev) => {
      if (!sel.matches(ev.object)) return;
      listener(ev.type, structuredClone(ev.object));
    }, s.info.namespaced ? ref.namespace : undefined);
  }
}
