/**
 * OpenWhisk's CouchDB design documents (the views the controller queries: `subjects.v2.0.0/identities` to
 * authenticate, `whisks.v2.1.0/actions|packages|rules|triggers` to list entities, `whisks.v2.1.0/activations` and
 * `whisks-filters.v2.1.1/activations` to list activations, …), shipped verbatim from Apache OpenWhisk in
 * `design-docs/` (Apache-2.0, see the README there), put in a ConfigMap and written by the init Job into the
 * database each belongs to, the way OpenWhisk's own `ansible/tasks/recreateViews.yml` does.
 */
import { readFileSync } from 'node:fs';
import { shortHash } from './names.ts';

/** The three databases, as `databaseNames` names them. */
export type OpenWhiskDatabase = 'subjects' | 'whisks' | 'activations';

export interface DesignDoc {
  database: OpenWhiskDatabase;
  /** `_design/<name>`. */
  id: string;
  /** The file in `design-docs/`, also its key in the ConfigMap. */
  file: string;
}

/** Where the init Job mounts the ConfigMap. */
export const designDocsMountPath = '/design-docs';

/** `filter_design_document.json` carries no `_id`: OpenWhisk stores it as `_design/snapshotFilters` (replication). */
const snapshotFilters = { file: 'filter_design_document.json', id: '_design/snapshotFilters' };

/** Which file goes into which database (upstream's ansible `recreateViews.yml` / `filterViews.yml`). */
const plan: ReadonlyArray<{ database: OpenWhiskDatabase; file: string; id?: string }> = [
  { database: 'subjects', file: 'auth_design_document_for_subjects_db_v2.0.0.json' },
  { database: 'subjects', ...snapshotFilters },
  { database: 'whisks', file: 'whisks_design_document_for_entities_db_v2.1.0.json' },
  { database: 'whisks', file: 'whisks_design_document_for_all_entities_db_v2.1.0.json' },
  { database: 'whisks', ...snapshotFilters },
  { database: 'activations', file: 'whisks_design_document_for_activations_db_v2.1.0.json' },
  { database: 'activations', file: 'whisks_design_document_for_activations_db_filters_v2.1.1.json' },
  { database: 'activations', file: 'logCleanup_design_document_for_activations_db.json' },
  { database: 'activations', ...snapshotFilters },
];

let loaded: { files: Record<string, string>; docs: DesignDoc[]; hash: string } | undefined;

/** Read once: the files are part of the operator, not of the input. */
function load(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const files: Record<string, string> = {};
  const docs: DesignDoc[] = [];
  for (const entry of plan) {
    const text = files[entry.file] ?? readFileSync(new URL(`./design-docs/${entry.file}`, import.meta.url), 'utf8');
    files[entry.file] = text;
    const id = entry.id ?? (JSON.parse(text) as { _id?: unknown })._id;
    if (typeof id !== 'string' || !id.startsWith('_design/')) throw new Error(`design-docs/${entry.file} has no _design/ id`);
    // The init script adds `_rev` after the opening brace of the first line.
    if (!text.startsWith('{\n')) throw new Error(`design-docs/${entry.file} must start with "{" on a line of its own`);
    docs.push({ database: entry.database, id, file: entry.file });
  }
  loaded = { files, docs, hash: shortHash(JSON.stringify(files)) };
  return loaded;
}

/** The design documents, in the order the init Job writes them. */
export function designDocs(): DesignDoc[] {
  return load().docs;
}

/** File name → content: the ConfigMap's data. */
export function designDocFiles(): Record<string, string> {
  return load().files;
}

/** A hash of the contents: a new OpenWhisk release's documents rerun the init Job. */
export function designDocsHash(): string {
  return load().hash;
}
