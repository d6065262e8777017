import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { applyPatch } from './index.ts';

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', finalizers: ['a'] },
  spec: { template: { spec: {
    containers: [
      { name: 'app', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] },
      { name: 'sidecar', image: 'busybox:1.36' },
    ],
    tolerations: [{ key: 't' }],
  } } },
});
const smp = (live: KubeObject, patch: unknown): KubeObject =>
  applyPatch(live, JSON.stringify(patch), 'application/strategic-merge-patch+json', live.kind);
const containers = (o: KubeObject): unknown => (o.spec as { template: { spec: { containers: unknown } } }).template.spec.containers;
const podSpec = (o: KubeObject): Record<string, unknown> => (o.spec as { template: { spec: Record<string, unknown> } }).template.spec;

describe('strategic merge patch', () => {
  it('merges containers and env by name (deployment-strategic-merge-patch step 3)', () => {
    const out = smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '20' }, { name: 'C', value: '3' }] }] } } } });
    expect(containers(out)).to.deep.equal([
      { name: 'app', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'B', value: '20' }, { name: 'C', value: '3' }], ports: [{ containerPort: 80 }] },
      { name: 'sidecar', image: 'busybox:1.36' },
    ]);
  });

  it('changes one container image by name, keeps the other (step 4)', () => {
    const out = smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.37' }] } } } });
    expect((containers(out) as Array<{ image: string }>).map((c) => c.image)).to.deep.equal(['nginx:1.25', 'busybox:1.37']);
  });

  it('a merge patch replaces the whole list instead (step 5)', () => {
    const out = applyPatch(deployment(), JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'only', image: 'nginx:1.25' }] } } } }), 'application/merge-patch+json', 'Deployment');
    expect(containers(out)).to.deep.equal([{ name: 'only', image: 'nginx:1.25' }]);
  });

  it('honours $patch delete / replace, unknown lists are atomic, finalizers are a set', () => {
    const out = smp(deployment(), {
      metadata: { finalizers: ['b', 'a'] },
      spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }], tolerations: [{ key: 'u' }] } } },
    });
    expect(containers(out)).to.have.length(1);
    expect(podSpec(out).tolerations).to.deep.equal([{ key: 'u' }]);
    expect(out.metadata.finalizers).to.deep.equal(['a', 'b']);
    const replaced = smp(deployment(), { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'x', image: 'y' }] } } } });
    expect(containers(replaced)).to.deep.equal([{ name: 'x', image: 'y' }]);
    const gone = smp(deployment(), { metadata: { $deleteFromPrimitiveList: undefined, '$deleteFromPrimitiveList/finalizers': ['a'] } });
    expect(gone.metadata.finalizers).to.deep.equal([]);
  });

  it('null deletes a key and $retainKeys drops the others', () => {
    const out = smp(deployment(), { spec: { template: { spec: { tolerations: null, $retainKeys: ['containers'] } } } });
    expect(Object.keys(podSpec(out))).to.deep.equal(['containers']);
  });
});
