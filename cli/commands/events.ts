/** `nimbus events`: the NATS event stream (NIMBUS_EVENTS) from its start, one readable line (or JSON) per event. */
import { parseArgs } from 'node:util';
import type { NimbusEvent } from '#shared/bus/types.ts';
import { CliError, parseOrUsage } from '../errors.ts';
import { readEvents, type StreamedEvent } from '../events-reader.ts';
import { clockTime } from '../format.ts';

export const eventsUsage = `Usage: nimbus events [--tenant <name>] [--follow] [--json] [--nats-url <url>]

Prints the Nimbus events stored in the JetStream stream NIMBUS_EVENTS, oldest first, one per line:
  time  type  subject  phase  reason  message
Without --follow it prints what is stored and exits; with --follow it keeps printing new events until Ctrl-C.

Options:
  --tenant <name>    only events of this tenant (its Tenant and everything it owns)
  --follow, -f       keep reading new events
  --json             print each CloudEvent as one line of JSON
  --nats-url <url>   the NATS server (default $NATS_URL; \`npm start\` prints it)
  -h, --help         this help
`;

/** True when the event concerns tenant `name`: the Tenant itself or an object labelled with it. */
export function belongsToTenant(event: NimbusEvent | undefined, name: string): boolean {
  if (!event) return false;
  return event.data.tenant === name || (event.data.ref.kind === 'Tenant' && event.data.ref.name === name);
}

/** `time type subject phase reason message`. */
export function eventLine(streamed: StreamedEvent): string {
  const event = streamed.event;
  if (!event) return `?  (not a Nimbus event on ${streamed.subject})  ${streamed.json.slice(0, 200)}`;
  const { phase, reason, message } = event.data;
  return [clockTime(event.time), event.type, event.subject, phase, reason, message].filter((part) => part !== '').join('  ');
}

/** One line of JSON, whatever the publisher's formatting. */
function compactJson(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json));
  } catch {
    return json.replace(/\n/g, ' ');
  }
}

/** Without JetStream nothing is stored: say why the output is empty, or live-only. */
export function coreModeNotice(follow: boolean): string {
  return follow
    ? 'nimbus: JetStream is not available on this NATS server: no stored events, showing live events only\n'
    : 'nimbus: JetStream is not available on this NATS server: no stored events (use --follow to see live ones)\n';
}

export async function eventsCommand(argv: string[], write: (text: string) => void): Promise<number> {
  const { values } = parseOrUsage(() => parseArgs({
    args: argv, allowPositionals: false, strict: true,
    options: {
      tenant: { type: 'string' }, follow: { type: 'boolean', short: 'f' }, json: { type: 'boolean' },
      'nats-url': { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  }), eventsUsage);
  if (values.help) { write(eventsUsage); return 0; }
  const url = values['nats-url'] ?? process.env['NATS_URL'];
  if (!url) throw new CliError('no NATS server: pass --nats-url <url> (npm start prints it) or set NATS_URL');
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  if (values.follow) { process.once('SIGINT', onSignal); process.once('SIGTERM', onSignal); }
  try {
    await readEvents({
      url, follow: values.follow === true, signal: controller.signal,
      onEvent: (streamed) => {
        if (values.tenant !== undefined && !belongsToTenant(streamed.event, values.tenant)) return;
        write(`${values.json ? compactJson(streamed.json) : eventLine(streamed)}\n`);
      },
      onBacklogDone: ({ mode }) => {
        // On stderr, so that `--json` output stays machine-readable.
        if (mode === 'core') process.stderr.write(coreModeNotice(values.follow === true));
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}
