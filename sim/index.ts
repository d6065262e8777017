/**
 * The embedded Kubernetes API server: `startApiServer()` serves the Kubernetes REST API on 127.0.0.1 over plain
 * HTTP and writes a kubeconfig for it (DESIGN.md §6).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import * as yaml from 'js-yaml';
import type { KubeObject } from '#shared/kube/types.ts';
import { Registry } from '#sim/resources/registry.ts';
import { ObjectStore } from '#sim/store/objects.ts';
import { Api } from '#sim/store/api.ts';
import { StoreClient } from '#sim/store/client.ts';
import { createAdmission } from '#sim/server/admission.ts';
import { WatchHub } from '#sim/server/watch.ts';
import { createApiServer } from '#sim/server/http.ts';
import type { Authorizer, SubresourceHandler } from '#sim/server/context.ts';
import { Faults } from '#sim/faults/index.ts';
import { rbacAuthorizer, rbacEscalation } from '#sim/server/rbac.ts';
import { tokenSubresourceHandler } from '#sim/builtins/index.ts';
import { NAMESPACES_KEY, namespaceStrategy, startNamespaceController } from '#sim/lifecycle/namespaces.ts';
import { CRD_KEY, crdStrategy, startCrdController } from '#sim/lifecycle/crds.ts';
import { startGarbageCollector } from '#sim/lifecycle/gc.ts';
import { startPvcProtection } from '#sim/lifecycle/pvc.ts';
import { startKubelet } from '#sim/kubelet/index.ts';
import type { Kubelet } from '#sim/kubelet/index.ts';

export { Faults } from '#sim/faults/index.ts';
export type { FailRule } from '#sim/faults/index.ts';
export { StoreClient } from '#sim/store/client.ts';
export type { Authorizer, RequestAttributes, SubresourceHandler } from '#sim/server/context.ts';

export interface ApiServerOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Delay before the simulated kubelet marks workloads ready (default 0 = next turn of the event loop). */
  kubeletDelayMs?: number;
  /** Run the simulated kubelet (default true). */
  kubelet?: boolean;
  /** Changes kept per resource for watches from a past resourceVersion (default 10000). */
  historyLimit?: number;
  /** Age after which Event history is compacted, as etcd compaction would (default 5000). */
  compactionMs?: number;
  /** Interval of BOOKMARK events on watches that allow them (default 1000). */
  bookmarkIntervalMs?: number;
  /** Folder of CRD YAML files applied (and established) at start, e.g. `manifests/crds`. */
  crdDir?: string;
  /** No log lines. */
  quiet?: boolean;
  /**
   * Bearer-token authentication, RBAC and the RBAC privilege-escalation check (default true; requests without
   * credentials are the admin).
   */
  rbac?: boolean;
  /** ClusterIP range of Services (default 10.0.0.0/16). */
  serviceCidr?: string;
  /** Replaces the RBAC authorizer. */
  authorizer?: Authorizer;
  /** POST handlers of subresources keyed `group/plural/subresource`, e.g. `/serviceaccounts/token`. */
  subresources?: Record<string, SubresourceHandler>;
  /** Called with the store client once the server is listening (e.g. to start the simulated kubelet). */
  onStart?: (store: StoreClient) => void | (() => void) | Promise<void | (() => void)>;
}

export interface ApiServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** A kubeconfig (context `nimbus-sim`, no credentials) pointing at `url`; removed on stop(). */
  kubeconfigPath: string;
  faults: Faults;
  /** In-process access to the objects (no HTTP), with the same semantics as the API. */
  store: StoreClient;
  /** The simulated kubelet's controls (undefined when started with `kubelet: false`). */
  kubelet: Kubelet | undefined;
  stop(): Promise<void>;
}

function kubeconfig(url: string): string {
  return [
    'apiVersion: v1', 'kind: Config',
    'clusters:', '- name: nimbus-sim', '  cluster:', `    server: ${url}`,
    // client-node refuses plain http unless TLS verification is off (there is no TLS to verify).
    '    insecure-skip-tls-verify: true',
    'users:', '- name: nimbus-sim', '  user: {}',
    'contexts:', '- name: nimbus-sim', '  context:', '    cluster: nimbus-sim', '    user: nimbus-sim',
    'current-context: nimbus-sim', '',
  ].join('\n');
}

/** CRD documents of every .yaml/.yml/.json file in a folder. */
function readCrds(dir: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const file of readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort()) {
    for (const doc of yaml.loadAll(readFileSync(join(dir, file), 'utf8'))) {
      const o = doc as KubeObject | null;
      if (o && typeof o === 'object' && o.kind === 'CustomResourceDefinition') out.push(o);
    }
  }
  return out;
}

/** Starts the embedded API server. */
export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const log = (msg: string): void => { if (!options.quiet) process.stderr.write(`[sim] ${msg}\n`); };
  const stops: Array<() => void> = [];
  const admission = createAdmission({ serviceCidr: options.serviceCidr });
  const registry = new Registry();
  const objects = new ObjectStore({ historyLimit: options.historyLimit ?? 10_000, compactionMs: options.compactionMs ?? 5000 });
  const api = new Api(registry, objects, admission);
  // A Service really gone (whichever path removed it: DELETE, finalizer removal, GC, namespace deletion) frees its
  // ClusterIP and NodePorts; benchmarks create thousands of Services.
  stops.push(objects.subscribe('/services', (ev) => { if (ev.type === 'DELETED') admission.release(ev.object); }));
  api.strategies.set(NAMESPACES_KEY, namespaceStrategy);
  api.strategies.set(CRD_KEY, crdStrategy((crd) => admission.checkCrd(crd)));
  const onError = (err: unknown): void => log(`internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  stops.push(startNamespaceController(api));
  stops.push(startGarbageCollector(api, onError));
  stops.push(startPvcProtection(api, onError));
  const crds = startCrdController(api, onError);
  stops.push(() => crds.stop());
  // The namespaces every cluster starts with.
  const nsServed = registry.byKey(NAMESPACES_KEY)!;
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    api.create(nsServed, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  if (options.crdDir) {
    const crdServed = registry.byKey(CRD_KEY)!;
    for (const crd of readCrds(options.crdDir)) {
      api.create(crdServed, undefined, crd);
      crds.establishNow(crd.metadata.name ?? '');
    }
  }
  const kubelet = options.kubelet === false ? undefined : startKubelet(api, { delayMs: options.kubeletDelayMs ?? 0, onError });
  if (kubelet) stops.push(() => kubelet.stop());
  const hub = new WatchHub();
  const faults = new Faults(hub);
  const server = createApiServer({
    api, hub, faults,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000,
    authorizer: options.authorizer ?? (options.rbac === false ? undefined : rbacAuthorizer(api)),
    escalation: options.rbac === false ? undefined : rbacEscalation(api),
    subresources: new Map(Object.entries({ '/serviceaccounts/token': tokenSubresourceHandler(), ...options.subresources })),
  }, onError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-sim-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfig(url));
  const store = new StoreClient(api);
  const stopHook = await options.onStart?.(store);
  if (typeof stopHook === 'function') stops.push(stopHook);
  log(`API server at ${url}, kubeconfig ${kubeconfigPath}`);
  let stopped = false;
  return {
    url, kubeconfigPath, faults, store, kubelet,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const s of stops) s();
      hub.endAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
