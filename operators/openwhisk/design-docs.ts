/**
 * OpenWhisk's CouchDB design documents (the views the controller queries: `subjects.v2.0.0/identities` to
 * authenticate, `whisks.v2.1.0/actions|…` to list entities, `whisks-filters.v2.1.1/activations` to list activations)
 * are an input, not shipped: the user puts them in a ConfigMap named by `spec.designDocuments.configMapRef.name`, and
 * the init Job mounts it and writes each into its database. The database is named by the key's prefix:
 * `subjects--<name>.json`, `whisks--<name>.json`, `activations--<name>.json` (see `design-docs/README.md`).
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { shortHash } from '#shared/objects/index.ts';
import type { OpenWhisk } from './types.ts';

/** The three databases, as `databaseNames` names them. */
export const openwhiskDatabases = ['subjects', 'whisks', 'activations'] as const;
export type OpenWhiskDatabase = (typeof openwhiskDatabases)[number];

export interface DesignDoc {
  database: OpenWhiskDatabase;
  /** `_design/<name>`: the document's own `_id`, else `_design/<name>` from the key. */
  id: string;
  /** The ConfigMap key, also the file name under the mount path. */
  file: string;
}

export interface DesignDocPlan {
  /** Documents to write, in key order. */
  docs: DesignDoc[];
  /** Keys that are skipped, each with why (wrong prefix, not a JSON object, bad `_id`). */
  problems: string[];
  /** A hash of the written keys' contents: a changed ConfigMap reruns the init Job. */
  hash: string;
}

/** Where the init Job mounts the ConfigMap. */
export const designDocsMountPath = '/design-docs';

/** The key convention: `<database>--<name>.json`. */
const keyPattern = /^(subjects|whisks|activations)--([A-Za-z0-9._-]+)\.json$/;

/** The ConfigMap named by `spec.designDocuments.configMapRef`, if any. */
export function designDocumentsConfigMap(cr: OpenWhisk): string | undefined {
  return cr.spec?.designDocuments?.configMapRef.name;
}

/** What the init Job will write from the ConfigMap's `data` (only `*.json` keys are considered). */
export function designDocPlan(configMap: KubeObject | undefined): DesignDocPlan {
  const data = (configMap?.['data'] ?? {}) as Record<string, string>;
  const docs: DesignDoc[] = [];
  const problems: string[] = [];
  const written: Record<string, string> = {};
  for (const file of Object.keys(data).filter((key) => key.endsWith('.json')).sort()) {
    const match = keyPattern.exec(file);
    if (!match) {
      problems.push(`${file}: the key must be <subjects|whisks|activations>--<name>.json`);
      continue;
    }
    const text = data[file] ?? '';
    const parsed = parseObject(text);
    // The init script adds `_rev` right after the opening brace, so the text must start with one.
    if (!parsed || !text.startsWith('{') || Object.keys(parsed).length === 0) {
      problems.push(`${file}: not a non-empty JSON object starting with "{"`);
      continue;
    }
    const id = parsed['_id'] ?? `_design/${match[2] ?? ''}`;
    if (typeof id !== 'string' || !/^_design\/[A-Za-z0-9._-]+$/.test(id)) {
      problems.push(`${file}: _id must be _design/<name>`);
      continue;
    }
    docs.push({ database: match[1] as OpenWhiskDatabase, id, file });
    written[file] = text;
  }
  return { docs, problems, hash: shortHash(JSON.stringify(written)) };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}
