/**
 * The end-to-end rig: the embedded API server with its kubelet, a real nats-server, the three component operators
 * and the main operator, each started as its `main.ts` starts it (own client, own bus), in this process.
 */
import type { ApiServer } from '#sim/index.ts';
import type { ClosableKubeClient } from '#shared/kube/client.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import type { RunningOperator } from '#shared/operator/types.ts';
import { startMainOperator } from '#operators/main/main.ts';
import type { MainControllerOptions } from '#operators/main/controller.ts';
import type { TenantStatus } from '#operators/main/types.ts';
import type { NatsFixture } from '../fixtures/nats.ts';
import { startOperatorRig } from '../helpers/operator-sim.ts';

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
  const base = await startOperatorRig('all', {
    kubeletDelayMs: options.kubeletDelayMs ?? 0, fieldManager: 'e2e',
    env: { RESYNC_SECONDS: '0', CONCURRENCY: String(options.concurrency ?? 4) },
  });
  const { sim, nats, kube } = base;
  await base.runComponents();
  let main: RunningOperator | undefined;
  const rig: Rig = {
    sim, nats, kube,
    async restartMain(extraEnv = {}, mainOptions = {}) {
      await main?.stop();
      main = await base.run((quiet) => startMainOperator(quiet, mainOptions), extraEnv);
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
    stop: () => base.stop(),
  };
  return rig;
}
