/**
 * The `--name value` flags of the small benchmark scripts (sim-throughput, render-throughput): a positive number
 * with a default, and an optional `--out` file. `npm run bench` has its own full parser (args.ts).
 */

/** `--<name> <positive number>`, or `fallback` when absent; a clear error for anything else. */
export function numberFlag(name: string, fallback: number, argv: readonly string[] = process.argv): number {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} wants a positive number`);
  return value;
}

/** The file named by `--out`, if any. */
export function outFlag(argv: readonly string[] = process.argv): string | undefined {
  const i = argv.indexOf('--out');
  return i >= 0 ? argv[i + 1] : undefined;
}
