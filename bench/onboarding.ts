/**
 * `npm run bench`: the onboarding benchmark (bench/README.md). For every combination of tenant count, kubelet delay
 * and bus mode it starts a fresh sim (or uses --kubeconfig), a nats-server and the operators as separate processes,
 * applies the tenants, waits until all are Ready, and prints the figures. Exits 1 when any tenant missed Ready.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { operatorNames, parseArgs, UsageError, type BenchArgs } from './args.ts';
import { availableOperators, operatorNodeArgs } from './launch.ts';
import type { RunResult } from './analyse.ts';
import { detailTable, summaryTable, transitionTable } from './report.ts';
import { runOnce } from './run.ts';

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function deadlineMs(args: BenchArgs, tenants: number, bus: 'nats' | 'no-nats'): number {
  if (args.deadlineS) return args.deadlineS * 1000;
  // Without the bus, steps wait for the fallback timer: allow for it.
  return 60_000 + tenants * (bus === 'nats' ? 100 : 300);
}

export function machine(): Record<string, string | number> {
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
}

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) { log(error.message); return 2; }
    throw error;
  }
  const operators = availableOperators(operatorNames);
  const missing = operatorNames.filter((n) => !operators.includes(n));
  if (!operators.includes('main')) {
    log(`operators/main/main.ts is missing: the onboarding benchmark needs the main (Tenant) operator (have: ${operators.join(', ') || 'none'})`);
    return 2;
  }
  if (missing.length > 0) log(`warning: operators without main.ts, not started: ${missing.join(', ')} (their steps will never be Ready)`);
  log(`building the operators (${args.runtime})…`);
  const operatorArgs = await operatorNodeArgs(operators, args.runtime);
  const profileDir = resolve(args.out ? join(dirname(args.out), 'profiles') : 'bench/results/profiles');
  if (args.cpuProf.length > 0) mkdirSync(profileDir, { recursive: true });

  const results: RunResult[] = [];
  for (const kubeletDelayMs of args.kubeletDelaysMs) {
    for (const bus of args.busModes) {
      for (const tenants of args.tenants) {
        log(`run: ${tenants} tenant(s), ${bus}, kubelet delay ${kubeletDelayMs} ms, ${args.kubeconfig ? 'cluster' : 'sim'}`);
        const result = await runOnce({
          tenants, bus, kubeletDelayMs, kubeconfig: args.kubeconfig, operators, operatorArgs,
          concurrency: args.concurrency, applyConcurrency: args.applyConcurrency, deadlineMs: deadlineMs(args, tenants, bus),
          idleMs: args.idleS * 1000, cpuProf: args.cpuProf, profileDir,
          traceRequests: args.traceRequests, nodeFlags: args.nodeFlags, oneAtATime: args.oneAtATime,
        }, log);
        results.push(result);
        if (result.requestTrace) log(`  requests per tenant by operator: ${JSON.stringify(result.requestTrace, null, 1)}`);
        log(`  ${result.ok ? 'ok' : 'FAILED'}: ${result.ready}/${tenants} Ready in ${(result.totalMs / 1000).toFixed(2)} s`
          + (result.notReady.length ? `; not Ready: ${result.notReady.join(', ')}` : ''));
      }
    }
  }
  const report = [
    summaryTable(results, operators), '', transitionTable(results), '', detailTable(results),
  ].join('\n');
  process.stdout.write(`${report}\n`);
  if (args.out) {
    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(args.out, `${JSON.stringify({
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`, date: new Date().toISOString(), machine: machine(),
      runtime: args.runtime, results,
    }, null, 2)}\n`);
    log(`results written to ${args.out}`);
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

const code = await main();
process.exitCode = code;
// Everything is stopped by now; should a stray handle (a socket in its keep-alive wait) hold the loop, exit anyway.
setTimeout(() => process.exit(code), 5_000).unref();
