/**
 * Runs Nimbus operators inside this process, each exactly as its own `operators/<x>/main.ts` would (same
 * `runOperator` bootstrap: config from an environment, its own kube client, NATS connection, health server), but
 * without signal handlers: the caller stops them.
 */
import type { Logger } from '#shared/observability/logger.ts';
import type { RunningOperator, RunOperatorOptions } from '#shared/operator/index.ts';
import { CliError, UsageError } from './errors.ts';

export const operatorNames = ['couchdb', 'nats', 'openwhisk', 'main'] as const;
export type OperatorName = (typeof operatorNames)[number];

type StartOptions = Omit<RunOperatorOptions, 'name' | 'controllers'>;
type Starter = (options: StartOptions) => Promise<RunningOperator>;

/**
 * The operator's starter: the `start<Name>Operator` function its `main.ts` exports (importing main.ts does not
 * start it: it only runs itself when it is the process's script).
 */
async function loadStarter(name: OperatorName): Promise<Starter> {
  const module = (await import(`#operators/${name}/main.ts`)) as Record<string, unknown>;
  const entry = Object.entries(module).find(([key, value]) => /^start\w*Operator$/.test(key) && typeof value === 'function');
  if (!entry) throw new CliError(`operators/${name}/main.ts exports no start…Operator function`);
  return entry[1] as Starter;
}

/** Operator names from the command line: none means all; unknown names are a usage error. */
export function parseOperatorNames(args: readonly string[], usage: string): OperatorName[] {
  if (args.length === 0 || args.includes('all')) return [...operatorNames];
  const unknown = args.filter((a) => !(operatorNames as readonly string[]).includes(a));
  if (unknown.length > 0) {
    throw new UsageError(`unknown operator ${unknown.join(', ')} (known: ${operatorNames.join(', ')})`, usage);
  }
  return [...new Set(args)] as OperatorName[];
}

export interface RunOperatorsOptions {
  names: readonly OperatorName[];
  /** The environment each operator configures itself from (KUBECONFIG, NATS_URL, HTTP_PORT, …). */
  env: Readonly<Record<string, string | undefined>>;
  /** A logger per operator (default: pino JSON on stdout, as the operator processes log). */
  log?: ((name: OperatorName) => Logger) | undefined;
}

export interface RunningOperators {
  names: readonly OperatorName[];
  /** Health/metrics port of each operator. */
  healthPorts: Record<string, number>;
  /** Stop every operator (in-flight reconciles finish, connections close). Idempotent. */
  stop(): Promise<void>;
}

/** Start the named operators; resolves once every one has synced its caches. */
export async function runOperators(options: RunOperatorsOptions): Promise<RunningOperators> {
  const starters = await Promise.all(options.names.map(async (name) => [name, await loadStarter(name)] as const));
  const running: RunningOperator[] = [];
  const healthPorts: Record<string, number> = {};
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= Promise.all(running.map((r) => r.stop())).then(() => undefined);
    return stopping;
  };
  const results = await Promise.allSettled(starters.map(async ([name, start]) => {
    const operator = await start({
      env: options.env, handleSignals: false, ...(options.log ? { log: options.log(name) } : {}),
      // A bad configuration throws (a ConfigError) instead of exiting the whole process.
      exit: () => {},
    });
    running.push(operator);
    healthPorts[name] = operator.healthPort;
  }));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stop();
    const reason: unknown = failed.reason;
    if (reason instanceof Error && reason.name === 'ConfigError') throw new CliError(`configuration error: ${reason.message}`, { cause: reason });
    throw reason;
  }
  return { names: options.names, healthPorts, stop };
}
