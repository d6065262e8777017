/**
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` answers (what kubectl get asks for). Custom resources go
 * through `sim/crd`'s toTable (printer columns); built-ins get Name, the kind's columns from sim/builtins
 * (`builtinPrinterColumns`: Ready, Up-to-date, Type, Cluster-IP...) and Age.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { Served } from '#sim/resources/registry.ts';
import type { Admission } from '#sim/server/admission.ts';
import { builtinPrinterColumns } from '#sim/builtins/index.ts';
import type { PrinterColumn } from '#sim/builtins/index.ts';

/** Whether the Accept header asks for a Table. */
export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

const NAME_DESCRIPTION = 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: http://kubernetes.io/docs/user-guide/identifiers#names';
const AGE_DESCRIPTION = 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** Human age like kubectl prints it: `5s`, `3m`, `2h`, `4d`. */
export function age(creationTimestamp: string | undefined): string {
  if (!creationTimestamp) return '<unknown>';
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(creationTimestamp)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

function rowObject(obj: KubeObject, includeObject: string | null): unknown {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

function columnDefinition(c: PrinterColumn): Record<string, unknown> {
  return { name: c.name, type: c.type, format: c.format, description: c.description, priority: c.priority };
}

/** The Table for a list (or a single object: `objects` of length 1). */
export function toTable(served: Served, admission: Admission, objects: KubeObject[], resourceVersion: string, includeObject: string | null): unknown {
  if (served.crd) {
    return admission.toTable(served.crd, served.info.version, objects, { resourceVersion, includeObject });
  }
  const extra = builtinPrinterColumns(served.info.group, served.info.kind) ?? { beforeAge: [], afterAge: [] };
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 },
      ...extra.beforeAge.map(columnDefinition),
      { name: 'Age', type: 'string', format: '', description: AGE_DESCRIPTION, priority: 0 },
      ...extra.afterAge.map(columnDefinition),
    ],
    rows: objects.map((o) => {
      const cells: unknown[] = [o.metadata.name ?? '', ...extra.beforeAge.map((c) => c.cell(o)), age(o.metadata.creationTimestamp), ...extra.afterAge.map((c) => c.cell(o))];
      const row: Record<string, unknown> = { cells };
      const object = rowObject(o, includeObject);
      if (object !== undefined) row.object = object;
      return row;
    }),
  };
}
