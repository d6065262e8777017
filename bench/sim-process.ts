/**
 * The sim in its own process, as the benchmark runs it (so the sim's CPU is measured apart from the operators' and the
 * benchmark's). Started by `sim-handle.ts` with an IPC channel: it reports its URL once listening and answers request
 * counter queries. Options come as one JSON argument: `{ "kubeletDelayMs": 0, "crdDir": "manifests/crds" }`.
 */
import { startApiServer } from '#sim/index.ts';
import type { SimReply, SimRequest } from './sim-protocol.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as { kubeletDelayMs?: number; crdDir?: string; historyLimit?: number };
const sim = await startApiServer({
  quiet: true,
  kubeletDelayMs: options.kubeletDelayMs ?? 0,
  crdDir: options.crdDir ?? 'manifests/crds',
  // Enough history that a watch reconnecting during a 1,000-tenant run never falls off it.
  historyLimit: options.historyLimit ?? 200_000,
});

function reply(message: SimReply): void {
  process.send?.(message);
}

process.on('message', (raw: unknown) => {
  const message = raw as SimRequest;
  if (message.type === 'stats') {
    reply({ type: 'stats', id: message.id, requestCount: sim.faults.requestCount, byVerb: { ...sim.faults.stats } });
  } else if (message.type === 'stop') {
    void sim.stop().finally(() => process.exit(0));
  }
});
// The parent going away (even killed) must not leave the sim behind.
process.on('disconnect', () => { void sim.stop().finally(() => process.exit(0)); });
reply({ type: 'ready', url: sim.url, kubeconfigPath: sim.kubeconfigPath });
