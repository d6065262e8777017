/**
 * Operator configuration from the environment (DESIGN section 5), parsed and validated once at start: a bad value
 * stops the start with one line naming the variable, instead of a confusing failure later.
 */
import { hostname } from 'node:os';
import { boolean, integer, kubeconfigPaths, namespaceName, natsUrl, oneOf, podName, type Env } from './parse.ts';

export { ConfigError, exitOnConfigError, redactValue, type ExitIo } from './errors.ts';
export type { Env } from './parse.ts';

export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof logLevels)[number];

export interface OperatorConfig {
  /** `KUBECONFIG`: kubeconfig path(s); undefined means in-cluster (service account). */
  kubeconfig: string | undefined;
  /** `NATS_URL`; undefined means events off. */
  natsUrl: string | undefined;
  /** `WATCH_NAMESPACE`: watch only this namespace; undefined means all namespaces. */
  watchNamespace: string | undefined;
  /** `LOG_LEVEL` (default `info`). */
  logLevel: LogLevel;
  /** `CONCURRENCY`: reconcile workers, 1..256 (default 4). */
  concurrency: number;
  /** `LEADER_ELECT` (default false). */
  leaderElect: boolean;
  /** `HTTP_PORT` for /healthz, /readyz, /metrics: 0..65535, 0 picks a free port (default 8080). */
  httpPort: number;
  /** `POD_NAMESPACE`: where the leader-election Lease lives (default `nimbus-system`). */
  podNamespace: string;
  /** `POD_NAME`: this replica's identity in leader election (default the host name). */
  podName: string;
  /** `RESYNC_SECONDS`: periodic full resync, 0..86400, 0 turns it off (default 300). */
  resyncSeconds: number;
}

/** Parse and validate the environment. Throws ConfigError (one line) on the first bad value. */
export function loadConfig(env: Env = process.env): OperatorConfig {
  return {
    kubeconfig: kubeconfigPaths(env, 'KUBECONFIG'),
    natsUrl: natsUrl(env, 'NATS_URL'),
    watchNamespace: namespaceName(env, 'WATCH_NAMESPACE'),
    logLevel: oneOf(env, 'LOG_LEVEL', logLevels, 'info'),
    concurrency: integer(env, 'CONCURRENCY', 4, 1, 256),
    leaderElect: boolean(env, 'LEADER_ELECT', false),
    httpPort: integer(env, 'HTTP_PORT', 8080, 0, 65535),
    podNamespace: namespaceName(env, 'POD_NAMESPACE') ?? 'nimbus-system',
    podName: podName(env, 'POD_NAME') ?? hostname().toLowerCase(),
    resyncSeconds: integer(env, 'RESYNC_SECONDS', 300, 0, 86400),
  };
}
