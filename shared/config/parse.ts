/** One parser per kind of value; each throws a ConfigError naming the variable and what is allowed. */
import { existsSync } from 'node:fs';
import { ConfigError } from './errors.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** The variable's value, or undefined when unset or blank (an empty `FOO=` in a manifest means "not set"). */
export function raw(env: Env, variable: string): string | undefined {
  const value = env[variable];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function integer(env: Env, variable: string, fallback: number, min: number, max: number): number {
  const value = raw(env, variable);
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(variable, value, `an integer from ${min} to ${max} (default ${fallback})`);
  }
  return n;
}

export function boolean(env: Env, variable: string, fallback: boolean): boolean {
  const value = raw(env, variable);
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new ConfigError(variable, value, `true or false (default ${fallback})`);
}

export function oneOf<T extends string>(env: Env, variable: string, allowed: readonly T[], fallback: T): T {
  const value = raw(env, variable);
  if (value === undefined) return fallback;
  const match = allowed.find((a) => a === value.toLowerCase());
  if (match === undefined) throw new ConfigError(variable, value, `one of ${allowed.join('|')} (default ${fallback})`);
  return match;
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A Kubernetes namespace name: an RFC 1123 DNS label. */
export function namespaceName(env: Env, variable: string): string | undefined {
  const value = raw(env, variable);
  if (value === undefined) return undefined;
  if (value.length > 63 || !dnsLabel.test(value)) {
    throw new ConfigError(variable, value, 'a namespace name (lower-case letters, digits and -, at most 63 characters)');
  }
  return value;
}

/** A pod name: an RFC 1123 subdomain (what the Downward API gives). */
export function podName(env: Env, variable: string): string | undefined {
  const value = raw(env, variable);
  if (value === undefined) return undefined;
  if (value.length > 253 || !value.split('.').every((part) => dnsLabel.test(part))) {
    throw new ConfigError(variable, value, 'a DNS subdomain (lower-case letters, digits, - and ., at most 253 characters)');
  }
  return value;
}

/** A NATS server URL: `nats://host[:port]` or `tls://host[:port]`, credentials allowed. */
export function natsUrl(env: Env, variable: string): string | undefined {
  const value = raw(env, variable);
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'nats:' && url.protocol !== 'tls:') || url.hostname === '') {
    throw new ConfigError(variable, value, 'a nats://host:port or tls://host:port URL (or unset to run without events)');
  }
  return value;
}

/** `KUBECONFIG`: a path list like kubectl's; at least one file must exist. */
export function kubeconfigPaths(env: Env, variable: string): string | undefined {
  const value = raw(env, variable);
  if (value === undefined) return undefined;
  if (!value.split(':').some((path) => path !== '' && existsSync(path))) {
    throw new ConfigError(variable, value, 'the path of an existing kubeconfig file (or unset to use the in-cluster service account)');
  }
  return value;
}
