/**
 * The server-side printer columns of the built-in kinds (what `kubectl get deployments` shows besides Name and Age),
 * as kube-apiserver 1.24's `pkg/printers/internalversion` prints them. The table builder puts `beforeAge` between
 * Name and Age and `afterAge` (priority 1: `-o wide`) after Age.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { isObject, objects, peek, stringMap } from './json.ts';
import type { JsonObject } from './json.ts';

/** One column and how to compute its cell. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer';
  format: string;
  description: string;
  priority: 0 | 1;
  cell(obj: KubeObject): string | number;
}

/** The columns of a kind around the Age column. */
export interface PrinterColumns {
  beforeAge: PrinterColumn[];
  afterAge: PrinterColumn[];
}

const spec = (o: KubeObject): JsonObject => (isObject(o.spec) ? o.spec : {});
const status = (o: KubeObject): JsonObject => (isObject(o.status) ? o.status : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);
const col = (name: string, cell: PrinterColumn['cell'], type: PrinterColumn['type'] = 'string', priority: 0 | 1 = 0): PrinterColumn =>
  ({ name, type, format: '', description: name, priority, cell });

function podSpec(o: KubeObject): JsonObject {
  return peek(peek(spec(o), 'template'), 'spec') ?? {};
}

const containers = col('Containers', (o) => objects(podSpec(o).containers).map((c) => str(c.name, '')).join(','), 'string', 1);
const images = col('Images', (o) => objects(podSpec(o).containers).map((c) => str(c.image, '')).join(','), 'string', 1);

function selectorText(o: KubeObject): string {
  const sel = spec(o).selector;
  const labels = stringMap(isObject(sel) && 'matchLabels' in sel ? sel.matchLabels : sel) ?? {};
  const text = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
  return text || '<none>';
}
const selector = col('Selector', selectorText, 'string', 1);

const accessModeShort: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

function ports(o: KubeObject): string {
  const list = objects(spec(o).ports).map((p) => `${num(p.port)}${p.nodePort ? `:${num(p.nodePort)}` : ''}/${str(p.protocol, 'TCP')}`);
  return list.join(',') || '<none>';
}

function duration(o: KubeObject): string {
  const s = status(o);
  if (typeof s.startTime !== 'string') return '';
  const end = typeof s.completionTime === 'string' ? Date.parse(s.completionTime) : Date.now();
  const secs = Math.max(0, Math.round((end - Date.parse(s.startTime)) / 1000));
  return secs < 120 ? `${secs}s` : `${Math.floor(secs / 60)}m`;
}

const table = new Map<string, PrinterColumns>([
  ['apps/Deployment', {
    beforeAge: [
      col('Ready', (o) => `${num(status(o).readyReplicas)}/${num(spec(o).replicas)}`),
      col('Up-to-date', (o) => num(status(o).updatedReplicas), 'integer'),
      col('Available', (o) => num(status(o).availableReplicas), 'integer'),
    ],
    afterAge: [containers, images, selector],
  }],
  ['apps/StatefulSet', { beforeAge: [col('Ready', (o) => `${num(status(o).readyReplicas)}/${num(spec(o).replicas)}`)], afterAge: [containers, images] }],
  ['batch/Job', {
    beforeAge: [col('Completions', (o) => `${num(status(o).succeeded)}/${num(spec(o).completions ?? 1)}`), col('Duration', duration)],
    afterAge: [containers, images, selector],
  }],
  ['/Service', {
    beforeAge: [
      col('Type', (o) => str(spec(o).type, 'ClusterIP')),
      col('Cluster-IP', (o) => str(spec(o).clusterIP, '<none>')),
      col('External-IP', (o) => (Array.isArray(spec(o).externalIPs) ? (spec(o).externalIPs as unknown[]).join(',') : '<none>')),
      col('Port(s)', ports),
    ],
    afterAge: [col('Selector', (o) => Object.entries(stringMap(spec(o).selector) ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>', 'string', 1)],
  }],
  ['/ConfigMap', { beforeAge: [col('Data', (o) => Object.keys(isObject(o.data) ? o.data : {}).length + Object.keys(isObject(o.binaryData) ? o.binaryData : {}).length, 'integer')], afterAge: [] }],
  ['/Secret', { beforeAge: [col('Type', (o) => str(o.type, 'Opaque')), col('Data', (o) => Object.keys(isObject(o.data) ? o.data : {}).length, 'integer')], afterAge: [] }],
  ['/ServiceAccount', { beforeAge: [col('Secrets', (o) => (Array.isArray(o.secrets) ? o.secrets.length : 0), 'integer')], afterAge: [] }],
  ['/Namespace', { beforeAge: [col('Status', (o) => str(status(o).phase, ''))], afterAge: [] }],
  ['/PersistentVolumeClaim', {
    beforeAge: [
      col('Status', (o) => str(status(o).phase, '')),
      col('Volume', (o) => str(spec(o).volumeName, '')),
      col('Capacity', (o) => str(peek(status(o), 'capacity')?.storage, '')),
      col('Access Modes', (o) => (Array.isArray(status(o).accessModes) ? (status(o).accessModes as unknown[]).map((m) => accessModeShort[String(m)] ?? String(m)).join(',') : '')),
      col('StorageClass', (o) => str(spec(o).storageClassName, '')),
    ],
    afterAge: [col('VolumeMode', (o) => str(spec(o).volumeMode, ''), 'string', 1)],
  }],
  ['coordination.k8s.io/Lease', { beforeAge: [col('Holder', (o) => str(spec(o).holderIdentity, ''))], afterAge: [] }],
  ['rbac.authorization.k8s.io/RoleBinding', { beforeAge: [col('Role', (o) => { const r = isObject(o.roleRef) ? o.roleRef : {}; return `${str(r.kind, '')}/${str(r.name, '')}`; })], afterAge: [] }],
  ['rbac.authorization.k8s.io/ClusterRoleBinding', { beforeAge: [col('Role', (o) => { const r = isObject(o.roleRef) ? o.roleRef : {}; return `${str(r.kind, '')}/${str(r.name, '')}`; })], afterAge: [] }],
]);

/** The printer columns of a built-in kind, or undefined (Name and Age only). */
export function builtinPrinterColumns(group: string, kind: string): PrinterColumns | undefined {
  return table.get(`${group}/${kind}`);
}
