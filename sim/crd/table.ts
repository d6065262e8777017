/**
 * Server-side printing of custom resources (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), as the
 * apiextensions table convertor builds it: a `Name` column, then the version's `additionalPrinterColumns` (or,
 * when it has none, the default `Age` column); cells from each column's JSONPath; each row's `object` a
 * PartialObjectMetadata (the default `includeObject=Metadata`).
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { crdVersions, isPlainObject } from './schema.ts';
import { evalJsonPath, parseJsonPath } from './jsonpath.ts';
import { goPlainV } from './go-format.ts';
import { humanDuration } from './duration.ts';

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: http://kubernetes.io/docs/user-guide/identifiers#names';
const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** A meta.k8s.io/v1 TableColumnDefinition. */
export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** A meta.k8s.io/v1 Table. */
export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumn[];
  rows: { cells: unknown[]; object?: unknown }[];
}

/** Options of {@link toTable}. */
export interface TableOptions {
  /** The list's resourceVersion (for a single object its own is used). */
  resourceVersion?: string;
  continue?: string;
  /** The clock for the `date` cells. */
  now?: Date;
  /** `?includeObject=`: `Metadata` (default: PartialObjectMetadata), `Object` (the whole object) or `None`. */
  includeObject?: string | null;
}

interface PrinterColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
  jsonPath: string;
}

function printerColumns(crd: KubeObject, version: string): PrinterColumn[] {
  const v = crdVersions(crd).find((x) => x['name'] === version);
  const raw = Array.isArray(v?.['additionalPrinterColumns']) ? (v['additionalPrinterColumns'] as unknown[]) : [];
  const cols = raw.filter(isPlainObject).map((c) => {
    const jsonPath = typeof c['jsonPath'] === 'string' ? c['jsonPath'] : '';
    const described = typeof c['description'] === 'string' && c['description'] !== '';
    return {
      name: typeof c['name'] === 'string' ? c['name'] : '',
      type: typeof c['type'] === 'string' ? c['type'] : '',
      format: typeof c['format'] === 'string' ? c['format'] : '',
      description: described ? String(c['description']) : `Custom resource definition column (in JSONPath format): ${jsonPath}`,
      priority: typeof c['priority'] === 'number' ? c['priority'] : 0,
      jsonPath,
    };
  });
  if (cols.length > 0) return cols;
  return [{ name: 'Age', type: 'date', format: '', description: CREATION_TIMESTAMP_DESCRIPTION, priority: 0, jsonPath: '.metadata.creationTimestamp' }];
}

/** `cellForJSONValue` of the convertor: typed cells, `null` when the value does not fit the column type. */
function cell(col: PrinterColumn, value: unknown, now: Date): unknown {
  if (value === null || value === undefined) return null;
  switch (col.type) {
    case 'string':
      return goPlainV(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      const t = Date.parse(value);
      return Number.isNaN(t) ? '<unknown>' : humanDuration(now.getTime() - t);
    }
    default:
      return null;
  }
}

/** The Table of `objects` (one for a GET, all items for a LIST) of `crd` at `version`. */
export function toTable(crd: KubeObject, version: string, objects: KubeObject[], opts: TableOptions = {}): Table {
  const cols = printerColumns(crd, version);
  const now = opts.now ?? new Date();
  const paths = cols.map((c) => {
    try {
      return parseJsonPath(c.jsonPath);
    } catch {
      return undefined;
    }
  });
  const rowObject = (obj: KubeObject): { object?: unknown } => {
    if (opts.includeObject === 'None') return {};
    if (opts.includeObject === 'Object') return { object: structuredClone(obj) };
    return { object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: structuredClone(obj.metadata) } };
  };
  const rows = objects.map((obj) => ({
    cells: [
      obj.metadata.name ?? '',
      ...cols.map((c, i) => {
        const steps = paths[i];
        const found = steps ? evalJsonPath(steps, obj) : [];
        return found.length === 0 ? null : cell(c, found[0], now);
      }),
    ],
    ...rowObject(obj),
  }));
  const single = objects.length === 1 && opts.resourceVersion === undefined ? objects[0]?.metadata.resourceVersion : undefined;
  const rv = opts.resourceVersion ?? single;
  const metadata: Table['metadata'] = {};
  if (rv) metadata.resourceVersion = rv;
  if (opts.continue) metadata.continue = opts.continue;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 },
      ...cols.map(({ name, type, format, description, priority }) => ({ name, type, format, description, priority })),
    ],
    rows,
  };
}
