/** The configuration error: one line naming the variable, the bad value and what is allowed. */

/** Longest value quoted in a message: an env var can hold a whole file by mistake. */
const maxShownChars = 80;

/** Hide credentials in URLs (`nats://user:pass@host`) before a value reaches a terminal or a log. */
export function redactValue(value: string): string {
  return value.replace(/\/\/[^/@\s]*@/g, '//***@');
}

/** Quote a value for the one-line message: JSON escaping keeps newlines and control characters on one line. */
function shown(value: string): string {
  const safe = redactValue(value);
  return JSON.stringify(safe.length > maxShownChars ? `${safe.slice(0, maxShownChars)}…` : safe);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  /** The environment variable, e.g. `CONCURRENCY`. */
  readonly variable: string;
  /** The value as given (unredacted: do not log it; the message carries the redacted form). */
  readonly value: string;
  /** What is allowed, e.g. `an integer from 1 to 256`. */
  readonly allowed: string;
  constructor(variable: string, value: string, allowed: string, options?: ErrorOptions) {
    super(`invalid ${variable}=${shown(value)}: must be ${allowed}`, options);
    this.variable = variable;
    this.value = value;
    this.allowed = allowed;
  }
}

/** Where `exitOnConfigError` reports; injectable for tests, the process by default. */
export interface ExitIo {
  writeError(line: string): void;
  exit(code: number): never;
}

const processIo: ExitIo = {
  writeError: (line) => { process.stderr.write(`${line}\n`); },
  exit: (code) => process.exit(code),
};

/**
 * Run `fn` (typically `() => loadConfig()`); on a ConfigError print its one line to stderr and exit with status 2,
 * the convention for a usage error. Other errors propagate unchanged.
 */
export function exitOnConfigError<T>(fn: () => T, io: ExitIo = processIo): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.writeError(`configuration error: ${error.message}`);
      return io.exit(2);
    }
    throw error;
  }
}
