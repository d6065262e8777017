/**
 * `tsx bench/tables.ts bench/results/a.json [b.json …]`: the Markdown tables of one or more result files, in order
 * (how the tables in bench/README.md were made from several runs).
 */
import { readFileSync } from 'node:fs';
import type { RunResult } from './analyse.ts';
import { operatorNames } from './args.ts';
import { detailTable, summaryTable, transitionTable } from './report.ts';

const results: RunResult[] = [];
for (const file of process.argv.slice(2)) {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { results: RunResult[] };
  results.push(...parsed.results);
}
const operators = operatorNames.filter((o) => results.some((r) => r.cpuMsPerTenant[o] !== undefined));
process.stdout.write(`${[summaryTable(results, operators), '', transitionTable(results), '', detailTable(results)].join('\n')}\n`);
