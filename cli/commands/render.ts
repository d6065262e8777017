/** `nimbus render <file>`: the objects the operators would apply for the CRs in a file, as YAML, applying nothing. */
import { parseArgs } from 'node:util';
import * as yaml from 'js-yaml';
import { CliError, parseOrUsage, UsageError } from '../errors.ts';
import { readManifests } from '../manifests.ts';
import { placeholderUid, renderObject, type RenderOptions } from '../renderers.ts';

export const renderUsage = `Usage: nimbus render <file> [--assume-ready]

Prints, as YAML documents separated by ---, the objects the Nimbus operators would apply for the custom resources
(Tenant, CouchDB, NatsCluster, OpenWhisk) in <file>, computed by the operators' own pure functions with nothing
observed yet. Nothing is sent to a cluster. Kubernetes built-in objects in the file are printed unchanged.

Options:
  --assume-ready   render as if what the operators wait for were ready: adds the init Jobs, and an OpenWhisk's
                   objects (otherwise nothing until its CouchDB is Ready)
  -h, --help       this help
`;

/** The YAML text for a file: comment header, then each object. */
export function renderFile(file: string, options: RenderOptions = {}): string {
  const results = readManifests(file).map((object) => renderObject(object, options));
  const notes = results.flatMap((r) => r.notes);
  const header = [
    `# nimbus render ${file}`,
    `# ownerReferences carry the placeholder uid ${placeholderUid} (the API server assigns the real one).`,
    ...(notes.length ? ['# Left out, assumed, or shown with placeholders:', ...notes.map((n) => `#   - ${n}`)] : []),
  ];
  // Round-trip through JSON: drops undefined fields, which js-yaml refuses.
  const docs = results.flatMap((r) => r.objects).map((o) => yaml.dump(JSON.parse(JSON.stringify(o)), { noRefs: true, lineWidth: -1 }));
  return `${header.join('\n')}\n${docs.map((d) => `---\n${d}`).join('')}`;
}

export async function renderCommand(argv: string[], write: (text: string) => void): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { 'assume-ready': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  }), renderUsage);
  if (values.help) { write(renderUsage); return 0; }
  const [file, ...rest] = positionals;
  if (file === undefined) throw new UsageError('render needs a file', renderUsage);
  if (rest.length > 0) throw new CliError(`render takes one file, got ${positionals.join(' ')}`);
  write(renderFile(file, { assumeReady: values['assume-ready'] === true }));
  return 0;
}
