/** `nimbus crds`: the CustomResourceDefinitions (manifests/crds/*.yaml), ready for `kubectl apply -f -`. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as yaml from 'js-yaml';
import { parseOrUsage, UsageError } from '../errors.ts';
import { crdDir } from '../paths.ts';

export const crdsUsage = `Usage: nimbus crds

Prints the Nimbus CRDs (Tenant, CouchDB, NatsCluster, OpenWhisk) as YAML documents:
  npx nimbus crds | kubectl apply --server-side -f -

Options:
  -h, --help   this help
`;

function isCrdFile(text: string): boolean {
  return yaml.loadAll(text).some((doc) => (doc as { kind?: unknown } | null)?.kind === 'CustomResourceDefinition');
}

/** The text (comments kept) of every CRD file, `---` separated; other files there (kustomization.yaml) are skipped. */
export function crdsText(dir: string = crdDir): string {
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .filter(isCrdFile)
    .map((text) => `---\n${text.replace(/^---\n/, '').trimEnd()}\n`).join('');
}

export async function crdsCommand(argv: string[], write: (text: string) => void): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({
    args: argv, allowPositionals: true, strict: true, options: { help: { type: 'boolean', short: 'h' } },
  }), crdsUsage);
  if (values.help) { write(crdsUsage); return 0; }
  if (positionals.length > 0) throw new UsageError(`crds takes no arguments, got ${positionals.join(' ')}`, crdsUsage);
  write(crdsText());
  return 0;
}
