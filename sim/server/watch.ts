/**
 * WATCH: a chunked stream of newline-delimited `{type, object}` events. Replays the history after the given
 * resourceVersion (or synthetic ADDED events for the current objects when none is given), then follows live
 * changes; sends BOOKMARKs when asked; ends after `timeoutSeconds`; answers one ERROR 410 event when the
 * resourceVersion is older than the kept history.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '#shared/kube/types.ts';
import type { Served } from '#sim/resources/registry.ts';
import type { ObjectStore } from '#sim/store/objects.ts';
import type { StoreEvent } from '#sim/store/history.ts';
import type { Selector } from '#sim/store/selectors.ts';
import { failure } from '#sim/server/status.ts';
import { jsonOf } from '#sim/store/json.ts';

/** The open watches, so that faults can drop or stall them. */
export class WatchHub {
  readonly open = new Set<OpenWatch>();
  private stalled = false;

  get isStalled(): boolean { return this.stalled; }

  /** Destroys every open watch connection (the client sees the stream break). */
  dropAll(): void {
    for (const w of [...this.open]) w.destroy();
  }

  /** Stalls (keeps open, sends nothing) or resumes every watch; what was held back is sent on resume. */
  stall(on: boolean): void {
    this.stalled = on;
    if (!on) for (const w of this.open) w.flush();
  }

  /** Ends every watch normally (server stop). */
  endAll(): void {
    for (const w of [...this.open]) w.end();
  }
}

export interface WatchRequest {
  served: Served;
  namespace: string | undefined;
  selector: Selector;
  resourceVersion: string | null;
  allowBookmarks: boolean;
  timeoutSeconds: number | undefined;
  bookmarkIntervalMs: number;
  /** Turns each object into what is sent instead (a one-row Table for `kubectl get -w`). */
  render?: ((obj: KubeObject) => unknown) | undefined;
}

/** One streaming watch response. */
export class OpenWatch {
  private held: (string | Buffer)[] = [];
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | undefined;
  private closed = false;
  private corked = false;
  private readonly res: ServerResponse;
  private readonly hub: WatchHub;
  private readonly apiVersion: string;

  constructor(res: ServerResponse, hub: WatchHub, apiVersion: string) {
    this.res = res;
    this.hub = hub;
    this.apiVersion = apiVersion;
  }

  write(line: string | Buffer): void {
    if (this.closed) return;
    if (this.hub.isStalled || this.held.length) { this.held.push(line); if (!this.hub.isStalled) this.flush(); return; }
    // Writes of one turn of the event loop (every request handled in that turn) go out in one syscall: under load,
    // a watcher gets several events per turn, and each write to a socket costs a syscall and a wake-up of the reader.
    if (!this.corked) {
      this.corked = true;
      this.res.cork();
      setImmediate(() => { this.corked = false; this.res.uncork(); });
    }
    this.res.write(line);
  }

  flush(): void {
    if (this.closed || this.hub.isStalled) return;
    const lines = this.held;
    this.held = [];
    if (lines.length) this.res.write(Buffer.concat(lines.map((l) => (typeof l === 'string' ? Buffer.from(l) : l))));
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    this.hub.open.delete(this);
  }

  end(): void {
    if (this.closed) return;
    this.flush();
    this.cleanup();
    this.res.end();
  }

  destroy(): void {
    this.cleanup();
    this.res.destroy();
  }

  /** The object as served at the requested version (custom resources may be stored at another version). */
  private render: ((obj: KubeObject) => unknown) | undefined;

  present(obj: KubeObject): unknown {
    if (this.render) return this.render(obj);
    return obj.apiVersion === this.apiVersion ? obj : { ...obj, apiVersion: this.apiVersion };
  }

  start(req: IncomingMessage, objects: ObjectStore, w: WatchRequest): void {
    const { served, namespace: ns, selector } = w;
    this.render = w.render;
    this.res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    this.res.flushHeaders();
    this.hub.open.add(this);
    req.on('close', () => this.cleanup());
    this.res.on('close', () => this.cleanup());
    const rv = w.resourceVersion;
    if (rv && rv !== '0') {
      const replay = objects.since(served.key, Number(rv) || 0);
      if (!replay) {
        const status = failure(410, 'Expired', 'The resourceVersion for the provided watch is too old.');
        delete status.details;
        this.write(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
        this.end();
        return;
      }
      for (const ev of replay) this.send(ev, ns, selector);
    } else {
      for (const obj of objects.list(served.key, served.info.namespaced ? ns : undefined)) {
        if (selector.matches(obj)) this.write(`{"type":"ADDED","object":${jsonOf(this.present(obj))}}\n`);
      }
    }
    this.unsubscribe = objects.subscribe(served.key, (ev) => this.send(ev, ns, selector), served.info.namespaced ? ns : undefined);
    if (w.timeoutSeconds !== undefined && w.timeoutSeconds > 0) {
      this.timers.push(setTimeout(() => this.end(), w.timeoutSeconds * 1000));
    }
    if (w.allowBookmarks) {
      const tick = (): void => {
        if (this.closed) return;
        if (!this.hub.isStalled) {
          const bookmark = { kind: served.info.kind, apiVersion: this.apiVersion, metadata: { resourceVersion: String(objects.resourceVersion) } };
          this.write(`${JSON.stringify({ type: 'BOOKMARK', object: bookmark })}\n`);
        }
        this.timers.push(setTimeout(tick, w.bookmarkIntervalMs));
      };
      this.timers.push(setTimeout(tick, w.bookmarkIntervalMs));
    }
  }

  /** Writes one change as this watcher sees it (selector transitions become ADDED / DELETED). */
  private send(ev: StoreEvent, ns: string | undefined, selector: Selector): void {
    if (ns !== undefined && (ev.object.metadata.namespace ?? '') !== ns) return;
    let type = ev.type;
    if (!selector.empty) {
      const now = selector.matches(ev.object);
      if (ev.type === 'MODIFIED') {
        const was = ev.prev ? selector.matches(ev.prev) : false;
        if (!now && !was) return;
        if (now && !was) type = 'ADDED';
        if (!now && was) type = 'DELETED';
      } else if (!now) return;
    }
    this.write(type === ev.type && ev.object.apiVersion === this.apiVersion && !this.render ? lineOf(ev) : `${JSON.stringify({ type, object: this.present(ev.object) })}\n`);
  }
}

/**
 * Each change is serialized once, however many watchers send it, and encoded to bytes once (a string written to a
 * socket is UTF-8 encoded on every write). The object's text comes from the stored-object cache, shared with GETs.
 */
const lines = new WeakMap<StoreEvent, Buffer>();
function lineOf(ev: StoreEvent): Buffer {
  let line = lines.get(ev);
  if (line === undefined) {
    line = Buffer.from(`{"type":"${ev.type}","object":${jsonOf(ev.object)}}\n`);
    lines.set(ev, line);
  }
  return line;
}
