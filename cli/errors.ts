/**
 * The two ways a CLI command fails: a usage error (bad flag, unknown subcommand: message + usage, exit 2) and a
 * runtime error (bad file, unreachable server: one clear message, exit 1).
 */

/** Wrong invocation: the caller prints the message and the command's usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly usage: string;
  constructor(message: string, usage: string, options?: { cause?: unknown }) {
    super(message, options);
    this.usage = usage;
  }
}

/** A failure the user can fix (file not found, unknown kind, no kubeconfig): printed as one message, exit 1. */
export class CliError extends Error {
  override name = 'CliError';
}

/**
 * Run a `node:util` parseArgs call and turn its errors (unknown option, missing value, unexpected positional) into a
 * UsageError carrying `usage`.
 */
export function parseOrUsage<T>(parse: () => T, usage: string): T {
  try {
    return parse();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError((error as Error).message, usage, { cause: error });
    }
    throw error;
  }
}

/** Print an error the way the CLI does and return the exit code to use. */
export function reportError(error: unknown, write: (text: string) => void = (t) => process.stderr.write(t)): number {
  if (error instanceof UsageError) {
    write(`nimbus: ${error.message}\n\n${error.usage.trimEnd()}\n`);
    return 2;
  }
  if (error instanceof CliError) {
    write(`nimbus: ${error.message}\n`);
    return 1;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  write(`nimbus: unexpected error: ${message}\n`);
  return 1;
}
