/** The contract of an operator process: what an operator supplies and what `runOperator` hands back. */
import type { Controller, ControllerOptions } from '#shared/controller/controller.ts';
import type { ControllerMetrics } from '#shared/controller/metrics.ts';
import type { Deps } from '#shared/controller/types.ts';
import type { OperatorConfig } from '#shared/config/index.ts';
import type { Logger } from '#shared/observability/logger.ts';

/** What the process runtime offers controller factories besides the deps and the config. */
export interface OperatorRuntime {
  /** Metrics sink of the process (controller-runtime names); absent: metrics go nowhere. */
  metrics?: ControllerMetrics | undefined;
}

/**
 * Builds an operator's controllers from the process's deps. Factories never build clients themselves, so the same
 * factory runs in its own process (`operators/<x>/main.ts`) or beside others (`npm start`). It may be async, to ask
 * the API server something first (e.g. whether an optional CRD is installed: `servesKind`).
 */
export type ControllerFactory = (
  deps: Deps, config: OperatorConfig, runtime?: OperatorRuntime,
) => Controller[] | Promise<Controller[]>;

/** The controller options every controller of a process shares (from the config). */
export type CommonControllerOptions = Pick<
  ControllerOptions, 'concurrency' | 'namespace' | 'leaderElection' | 'metrics' | 'resyncMs'
>;

export interface RunOperatorOptions {
  /** `couchdb` → field manager `nimbus-couchdb`, Lease `nimbus-<controller>`, NATS connection `nimbus-couchdb`. */
  name: string;
  controllers: ControllerFactory;
  /** The environment to configure from (default `process.env`). */
  env?: NodeJS.ProcessEnv | Readonly<Record<string, string | undefined>> | undefined;
  /** Install SIGTERM/SIGINT handlers that stop and exit the process (default true; tests turn it off). */
  handleSignals?: boolean | undefined;
  /** Called instead of `process.exit` (bad config: 2; after a signal: 0, or 1 when stopping failed). */
  exit?: ((code: number) => void) | undefined;
  /** Use this logger instead of a pino logger on stdout (tests). */
  log?: Logger | undefined;
}

export interface RunningOperator {
  /** The port of `/healthz`, `/readyz` and `/metrics` (useful with `HTTP_PORT=0`). */
  healthPort: number;
  config: OperatorConfig;
  deps: Deps;
  controllers: Controller[];
  /** Every controller synced and its leadership known. */
  ready(): boolean;
  /** Stop the controllers (in-flight reconciles finish, leases released), close the bus, the client and the server. */
  stop(): Promise<void>;
}
