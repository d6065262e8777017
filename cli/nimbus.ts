/**
 * The `nimbus` command (package.json "bin", run through cli/nimbus.js): status, events, render, run, crds.
 * Exit codes: 0 ok, 1 a failure (bad file, unreachable server), 2 a usage error (unknown subcommand or flag).
 */
import { isMainModule } from '#shared/operator/is-main.ts';
import { reportError, UsageError } from './errors.ts';

type Command = (argv: string[], write: (text: string) => void) => Promise<number | 'running'>;

/** Loaded on demand: a command pulls in only its own dependencies (the NATS client, client-node, the renderers). */
const commands: Record<string, { load: () => Promise<Command>; summary: string }> = {
  status: { load: async () => (await import('./commands/status.ts')).statusCommand, summary: 'tenants at a glance, or one tenant in detail' },
  events: { load: async () => (await import('./commands/events.ts')).eventsCommand, summary: 'the NATS event stream (NIMBUS_EVENTS), readable or --json' },
  render: { load: async () => (await import('./commands/render.ts')).renderCommand, summary: 'the objects an operator would apply for a CR file, as YAML' },
  run: { load: async () => (await import('./commands/run.ts')).runCommand, summary: 'run operators against the cluster of KUBECONFIG' },
  crds: { load: async () => (await import('./commands/crds.ts')).crdsCommand, summary: 'print the CRDs' },
};

export const nimbusUsage = `Usage: nimbus <command> [options]

Commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`).join('\n')}

Run \`nimbus <command> --help\` for a command's options. \`npm start\` runs all of Nimbus locally.
`;

/** Run the CLI; resolves with the exit code, or 'running' when a long-running command keeps the process alive. */
export async function nimbus(argv: string[], write: (text: string) => void = (t) => process.stdout.write(t)): Promise<number | 'running'> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    write(nimbusUsage);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    throw new UsageError(name.startsWith('-') ? `unknown option ${name}` : `unknown command "${name}"`, nimbusUsage);
  }
  return (await command.load())(rest, write);
}

/** `nimbus events | head` closes the pipe early: that is the reader's choice, not an error. */
export function exitQuietlyOnEpipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

if (isMainModule(import.meta.url)) {
  exitQuietlyOnEpipe();
  const code = await nimbus(process.argv.slice(2)).catch((error: unknown) => reportError(error));
  // Let stdout drain (a pipe may be slow) instead of process.exit cutting it off.
  if (code !== 'running') process.exitCode = code;
}
