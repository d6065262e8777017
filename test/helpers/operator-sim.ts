/**
 * The embedded API server for operator integration tests, and the rig built on it: the given CRDs from
 * `manifests/crds/` (copied to a temp folder, so a CRD another team is still editing cannot break the suite), the
 * simulated kubelet and an admin client; the rig adds a real nats-server and starts operators as their `main.ts`
 * would (own client, own bus), stopping them with everything else.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApiServer, type ApiServer } from '#sim/index.ts';
import { createKubeClient, type ClosableKubeClient } from '#shared/kube/client.ts';
import { silentLogger, type Logger } from '#shared/observability/logger.ts';
import type { RunningOperator } from '#shared/operator/types.ts';
import { startCouchDBOperator } from '#operators/couchdb/main.ts';
import { startOpenWhiskOperator } from '#operators/openwhisk/main.ts';
import { startNatsOperator } from '#operators/nats/main.ts';
import { startNats, type NatsFixture } from '../fixtures/nats.ts';

export interface OperatorSim {
  sim: ApiServer;
  /** A client for the test itself (field manager `nimbus-test` unless told otherwise). */
  kube: ClosableKubeClient;
  stop(): Promise<void>;
}

export interface OperatorSimOptions {
  /** The simulated kubelet's delay before it acts (default 50 ms). */
  kubeletDelayMs?: number;
  /** The field manager of the test's own client (default `nimbus-test`). */
  fieldManager?: string;
}

const crdFolder = fileURLToPath(new URL('../../manifests/crds/', import.meta.url));

/**
 * Start the sim with `crdFiles` (e.g. `['couchdb.yaml']`) registered, or every CRD of the folder (`'all'`, read in
 * place); stop it in an `after` hook.
 */
export async function startOperatorSim(crdFiles: string[] | 'all', options: OperatorSimOptions = {}): Promise<OperatorSim> {
  const copyDir = crdFiles === 'all' ? undefined : mkdtempSync(join(tmpdir(), 'nimbus-op-crds-'));
  if (copyDir && crdFiles !== 'all') for (const file of crdFiles) copyFileSync(join(crdFolder, file), join(copyDir, file));
  const sim = await startApiServer({ crdDir: copyDir ?? crdFolder, quiet: true, kubeletDelayMs: options.kubeletDelayMs ?? 50 });
  const kube = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: options.fieldManager ?? 'nimbus-test' });
  return {
    sim, kube,
    async stop() {
      kube.close();
      await sim.stop();
      if (copyDir) rmSync(copyDir, { recursive: true, force: true });
    },
  };
}

/** An operator's start function (`startCouchDBOperator` and its siblings) as the rig calls it. */
export type OperatorStarter = (options: { env: Record<string, string>; handleSignals: false; log: Logger }) => Promise<RunningOperator>;

export interface OperatorRig extends OperatorSim {
  nats: NatsFixture;
  /**
   * The environment an operator's `main.ts` reads: this sim's kubeconfig, this nats-server, `HTTP_PORT=0`, the rig's
   * `env`, then `extra` (a key set to `undefined` is left out, e.g. `NATS_URL` to run without the bus).
   */
  env(extra?: Record<string, string | undefined>): Record<string, string>;
  /** Start an operator as its `main.ts` would (no signal handlers, silent); `stop` stops it too (stop is idempotent). */
  run(start: OperatorStarter, extraEnv?: Record<string, string | undefined>): Promise<RunningOperator>;
  /** The three component operators (CouchDB, NATS, OpenWhisk), started side by side. */
  runComponents(): Promise<RunningOperator[]>;
}

export interface OperatorRigOptions extends OperatorSimOptions {
  /** Added to every operator's environment (e.g. `RESYNC_SECONDS: '0'`). */
  env?: Record<string, string>;
}

/** Start a nats-server and the sim (see `startOperatorSim`); stop both, and every operator run, in an `after` hook. */
export async function startOperatorRig(crdFiles: string[] | 'all', options: OperatorRigOptions = {}): Promise<OperatorRig> {
  const nats = await startNats();
  const base = await startOperatorSim(crdFiles, options).catch(async (error: unknown) => { await nats.stop(); throw error; });
  const running: RunningOperator[] = [];
  const env = (extra: Record<string, string | undefined> = {}): Record<string, string> => {
    const all: Record<string, string | undefined> = {
      KUBECONFIG: base.sim.kubeconfigPath, NATS_URL: nats.url, HTTP_PORT: '0', ...options.env, ...extra,
    };
    return Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined));
  };
  const run = async (start: OperatorStarter, extraEnv: Record<string, string | undefined> = {}): Promise<RunningOperator> => {
    const operator = await start({ env: env(extraEnv), handleSignals: false, log: silentLogger() });
    running.push(operator);
    return operator;
  };
  return {
    ...base, nats, env, run,
    runComponents: () => Promise.all([run(startCouchDBOperator), run(startNatsOperator), run(startOpenWhiskOperator)]),
    async stop() {
      for (const operator of running.reverse()) await operator.stop();
      await base.stop();
      await nats.stop();
    },
  };
}
