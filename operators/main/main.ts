/**
 * The main operator process: `tsx operators/main/main.ts`. Wiring only: the shared configuration (`KUBECONFIG`,
 * `NATS_URL`, `LEADER_ELECT`, …) plus `TENANT_REQUEUE_SECONDS` (default 30) and `TENANT_STEP_DEADLINE_SECONDS`
 * (default 600); deps, health server and graceful shutdown come from `shared/operator`.
 */
import { ConfigError } from '#shared/config/index.ts';
import { integer, type Env } from '#shared/config/parse.ts';
import { isMainModule, runOperator, type RunningOperator, type RunOperatorOptions } from '#shared/operator/index.ts';
import { mainController, type MainControllerOptions } from './controller.ts';
import { mainOperator } from './types.ts';

/** The main operator's own settings from the environment; throws ConfigError naming the variable. */
export function mainOptionsFromEnv(env: Env): MainControllerOptions {
  return {
    requeueMs: integer(env, 'TENANT_REQUEUE_SECONDS', 30, 1, 86_400) * 1000,
    stuckAfterMs: integer(env, 'TENANT_STEP_DEADLINE_SECONDS', 600, 1, 604_800) * 1000,
  };
}

/** Starts the main operator; resolves once its caches are synced. `extra` serves tests (child watches, onWake). */
export function startMainOperator(
  options: Omit<RunOperatorOptions, 'name' | 'controllers'> = {}, extra: MainControllerOptions = {},
): Promise<RunningOperator> {
  const env = options.env ?? process.env;
  let settings: MainControllerOptions;
  try {
    settings = { ...mainOptionsFromEnv(env), ...extra };
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`configuration error: ${error.message}\n`);
      (options.exit ?? ((code: number) => process.exit(code)))(2);
    }
    throw error;
  }
  return runOperator({ ...options, name: mainOperator, controllers: (deps, config, runtime) => [mainController(deps, config, runtime, settings)] });
}

if (isMainModule(import.meta.url)) await startMainOperator();
