import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { builtinPrinterColumns } from './index.ts';

function cells(group: string, kind: string, obj: KubeObject): { names: string[]; values: Array<string | number> } {
  const cols = builtinPrinterColumns(group, kind)!;
  return { names: cols.beforeAge.map((c) => c.name), values: cols.beforeAge.map((c) => c.cell(obj)) };
}

describe('builtins: printer columns (kubectl get)', () => {
  it('Deployment: READY UP-TO-DATE AVAILABLE', () => {
    const dep: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 },
      status: { readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 } };
    expect(cells('apps', 'Deployment', dep)).to.deep.equal({ names: ['Ready', 'Up-to-date', 'Available'], values: ['1/2', 2, 1] });
  });

  it('Service: TYPE CLUSTER-IP EXTERNAL-IP PORT(S); PVC access modes are short', () => {
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' },
      spec: { type: 'ClusterIP', clusterIP: '10.0.0.7', ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] } };
    expect(cells('', 'Service', svc).values).to.deep.equal(['ClusterIP', '10.0.0.7', '<none>', '80/TCP,53/UDP']);
    const pvc: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p' }, spec: {},
      status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } };
    expect(cells('', 'PersistentVolumeClaim', pvc).values).to.deep.equal(['Bound', '', '1Gi', 'RWO', '']);
    expect(builtinPrinterColumns('x.dev', 'Widget')).to.equal(undefined);
  });
});
