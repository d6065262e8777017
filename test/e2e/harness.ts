/**
 * The end-to-end rig: the embedded API server with its kubelet, a real nats-server, the three component operators
 * and the main operator, each started as its `main.ts` starts it (own client, own bus), in this process.
 */
import { startApiServer, type ApiServer } from '#sim/index.ts';
import { createKubeClient, type ClosableKubeClient } from '#shared/kube/client.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import { silentLogger } from '#shared/observability/logger.ts';
import type { RunningOperator } from '#shared/operator/types.ts';
import { startCouchDBOperator } from '#operators/couchdb/main.ts';
import { startOpenWhiskOperator } from '#operators/openwhisk/main.ts';
import { startNatsOperator } from '#operators/nats/main.ts';
import { startMainOperator } from '#operators/main/main.ts';
import type { MainControllerOptions } from '#operators/main/controller.ts';
import type { TenantStatus } from '#operators/main/types.ts';
import { startNats, type NatsFixture } from '../fixtures/nats.ts';

export const group = 'nimbus.dev/v1alpha1';
export const tenantRef = (name: string) => ({ apiVersion: group, kind: 'Tenant', name });
export const childRef = (kind: string, tenant: string) => ({ apiVersion: group, kind, namespace: `tenant-${tenant}`, name: tenant });

export interface Rig {
  sim: ApiServer;
  nats: NatsFixture;
  kube: ClosableKubeClient;
  /** (Re)starts the main operator with extra environment and options. */
  restartMain(env?: Record<string, string>, options?: MainControllerOptions): Promise<void>;
  stopMain(): Promise<void>;
  /** The Tenant's status when it is Ready with `summary` steps for its current generation. */
  readyTenant(name: string, summary: string): Promise<TenantStatus | undefined>;
  stop(): Promise<void>;
}

export function statusOf(object: KubeObject | undefined): Record<string, unknown> {
  return (object?.['status'] ?? {}) as Record<string, unknown>;
}

export async function startRig(options: { kubeletDelayMs?: number; concurrency?: number } = {}): Promise<Rig> {
  const nats = await startNats();
  const sim = await startApiServer({ crdDir: 'manifests/crds', quiet: true, kubeletDelayMs: options.kubeletDelayMs ?? 0 });
  const kube = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'e2e' });
  const env = (extra: Record<string, string> = {}) => ({
    KUBECONFIG: sim.kubeconfigPath, HTTP_PORT: '0', RESYNC_SECONDS: '0', NATS_URL: nats.url,
    CONCURRENCY: String(options.concurrency ?? 4), ...extra,
  });
  const quiet = { handleSignals: false, log: silentLogger() };
  const components = await Promise.all([
    startCouchDBOperator({ ...quiet, env: env() }),
    startNatsOperator({ ...quiet, env: env() }),
    startOpenWhiskOperator({ ...quiet, env: env() }),
  ]);
  let main: RunningOperator | undefined;
  const rig: Rig = {
    sim, nats, kube,
    async restartMain(extraEnv = {}, mainOptions = {}) {
      await main?.stop();
      main = await startMainOperator({ ...quiet, env: env(extraEnv) }, mainOptions);
    },
    async stopMain() {
      await main?.stop();
      main = undefined;
    },
    async readyTenant(name, summary) {
      const tenant = await kube.tryGet(tenantRef(name));
      const s = statusOf(tenant) as TenantStatus;
      return s.phase === 'Ready' && s.stepsSummary === summary && s.observedGeneration === tenant?.metadata.generation ? s : undefined;
    },
    async stop() {
      await main?.stop();
      await Promise.all(components.map((c) => c.stop()));
      kube.close();
      await sim.stop();
      await nats.stop();
    },
  };
  return rig;
}
