/**
 * An embedded API server for operator integration tests: the given CRDs from `manifests/crds/` (copied to a temp
 * folder, so a CRD another team is still editing cannot break the suite), the simulated kubelet, and an admin client.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApiServer, type ApiServer } from '#sim/index.ts';
import { createKubeClient, type ClosableKubeClient } from '#shared/kube/client.ts';

export interface OperatorSim {
  sim: ApiServer;
  /** A client for the test itself (field manager `nimbus-test`). */
  kube: ClosableKubeClient;
  stop(): Promise<void>;
}

const crdFolder = fileURLToPath(new URL('../../manifests/crds/', import.meta.url));

/** Start the sim with `crdFiles` (e.g. `['couchdb.yaml']`) registered; stop it in an `after` hook. */
export async function startOperatorSim(crdFiles: string[], options: { kubeletDelayMs?: number } = {}): Promise<OperatorSim> {
  const crdDir = mkdtempSync(join(tmpdir(), 'nimbus-op-crds-'));
  for (const file of crdFiles) copyFileSync(join(crdFolder, file), join(crdDir, file));
  const sim = await startApiServer({ crdDir, quiet: true, kubeletDelayMs: options.kubeletDelayMs ?? 50 });
  const kube = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'nimbus-test' });
  return {
    sim, kube,
    async stop() {
      kube.close();
      await sim.stop();
      rmSync(crdDir, { recursive: true, force: true });
    },
  };
}
