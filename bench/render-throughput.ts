/**
 * `tsx bench/render-throughput.ts`: µs per `renderTemplate` call on every operator's real templates, with the data
 * the operators really pass: each operator's `desired()` (the main operator's namespace and child steps) runs once
 * for T tenants while the renders are recorded, then the recorded calls are replayed R rounds, tenant after tenant
 * as reconciles come, through the plain path (Handlebars + js-yaml loadAll: the code before the fast path) and
 * through `renderTemplate` (placeholder tokens + memoised skeletons). Both results are checked to be equal first.
 *
 * Flags: --tenants 50 --rounds 20 --out bench/results/render-throughput.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { desired as couchdbDesired } from '#operators/couchdb/desired.ts';
import { couchdb, statefulSet } from '#operators/couchdb/testing/fixtures.ts';
import { childResource, namespaceObjects } from '#operators/main/desired.ts';
import { sampleTenant } from '#operators/main/testing/fixtures.ts';
import { desired as natsDesired } from '#operators/nats/desired.ts';
import type { NatsCluster } from '#operators/nats/types.ts';
import { desired as openwhiskDesired } from '#operators/openwhisk/desired.ts';
import { authSecrets, couchdbObject, openwhisk } from '#operators/openwhisk/testing/fixtures.ts';
import { renderCounts, renderTemplate, renderTemplatePlain, traceRenders } from '#shared/render/template.ts';
import { numberFlag, outFlag } from './script-flags.ts';

const out = outFlag();
const tenants = numberFlag('tenants', 50);
const rounds = numberFlag('rounds', 20);

interface Call { file: string; data: object }

/** The renders `produce` makes, with a copy of their data (callers may reuse or change their objects). */
function record(produce: () => void): Call[] {
  const calls: Call[] = [];
  traceRenders((file, data) => calls.push({ file, data: structuredClone(data) }));
  try {
    produce();
  } finally {
    traceRenders(undefined);
  }
  return calls;
}

const random = (size: number): Buffer => Buffer.alloc(size, 7);
const names = Array.from({ length: tenants }, (_, i) => `t${String(i).padStart(4, '0')}`);

/** The recorded renders of each operator, tenant after tenant. */
const operators: Record<string, Call[]> = {
  main: names.flatMap((name) => record(() => {
    const tenant = sampleTenant();
    tenant.metadata = { ...tenant.metadata, name, uid: `uid-${name}` };
    namespaceObjects(tenant);
    for (const block of ['couchdb', 'nats', 'openwhisk'] as const) childResource(tenant, block);
  })),
  couchdb: names.flatMap((name) => record(() => {
    const cr = couchdb({ replicas: 1, storage: { size: '2Gi' } }, name);
    couchdbDesired(cr, { statefulSet: statefulSet(`${name}-couchdb`, 1) }, random);
  })),
  nats: names.flatMap((name) => record(() => {
    const cr: NatsCluster = {
      apiVersion: 'nimbus.dev/v1alpha1', kind: 'NatsCluster',
      metadata: { name, namespace: `tenant-${name}`, uid: `uid-${name}`, generation: 1, labels: { 'nimbus.dev/tenant': name } },
      spec: { replicas: 1, jetstream: { enabled: true, storage: { size: '1Gi' } } },
    };
    // bcrypt is not what is measured here: a cheap stand-in hash of the same length.
    natsDesired(cr, { secrets: {} }, { newPassword: () => 'p'.repeat(24), hasher: (p, seed) => `$2b$10$${seed}${p}`.slice(0, 60) });
  })),
  openwhisk: names.flatMap((name) => record(() => {
    const cr = openwhisk();
    cr.metadata = { ...cr.metadata, name, uid: `uid-${name}` };
    openwhiskDesired(cr, { couchdb: couchdbObject(true), authSecrets: authSecrets(cr, [name]) }, random);
  })),
};

/** CPU µs per call (CPU time, not wall time: the machine is shared with other benchmarks). */
function timeUs(calls: Call[], render: (file: string, data: object) => unknown): number {
  for (const { file, data } of calls) render(file, data); // warm-up: compiled templates, JIT, memo
  const start = process.cpuUsage();
  for (let r = 0; r < rounds; r++) for (const { file, data } of calls) render(file, data);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / (rounds * calls.length);
}

const rows = Object.entries(operators).map(([operator, calls]) => {
  for (const { file, data } of calls) {
    if (!isDeepStrictEqual(renderTemplate(file, data), renderTemplatePlain(file, data))) {
      throw new Error(`${operator}: ${basename(file)} renders differently on the fast path`);
    }
  }
  const plainUs = timeUs(calls, renderTemplatePlain);
  const before = { ...renderCounts };
  const fastUs = timeUs(calls, renderTemplate);
  const renders = renderCounts.fast + renderCounts.plain - before.fast - before.plain;
  return {
    operator,
    templates: new Set(calls.map((c) => basename(c.file))).size,
    rendersPerRound: calls.length,
    plainUs: Number(plainUs.toFixed(1)),
    fastUs: Number(fastUs.toFixed(1)),
    speedup: Number((plainUs / fastUs).toFixed(1)),
    fallbackShare: Number(((renderCounts.plain - before.plain) / renders).toFixed(3)),
    parsesPerRender: Number(((renderCounts.parses - before.parses) / renders).toFixed(3)),
  };
});

console.log(`render throughput: ${tenants} tenants, ${rounds} rounds (CPU µs per renderTemplate call)`);
console.table(rows);
if (out) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ tenants, rounds, rows }, null, 2)}\n`);
}
