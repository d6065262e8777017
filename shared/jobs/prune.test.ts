import { expect } from 'chai';
import { startApiServer, type ApiServer } from '#sim/index.ts';
import { createKubeClient, type ClosableKubeClient } from '#shared/kube/client.ts';
import type { KubeObject } from '#shared/kube/types.ts';
import { pruneSupersededJobs } from './prune.ts';
import { jobState } from './state.ts';

function job(name: string, instance: string): KubeObject {
  const labels = { 'app.kubernetes.io/name': 'demo', 'app.kubernetes.io/instance': instance };
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default', labels },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  };
}
const complete = (object: KubeObject): KubeObject => ({ ...object, status: { conditions: [{ type: 'Complete', status: 'True' }] } });

describe('pruneSupersededJobs (against the sim)', () => {
  let sim: ApiServer;
  let kube: ClosableKubeClient;
  const names = async () => (await kube.list({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'default' })).items.map((j) => j.metadata.name).sort();
  const jobs = { prefix: 'a-init', labelSelector: 'app.kubernetes.io/name=demo,app.kubernetes.io/instance=a' };

  before(async () => {
    sim = await startApiServer({ quiet: true, kubelet: false });
    kube = createKubeClient({ kubeconfigPath: sim.kubeconfigPath, fieldManager: 'nimbus-test' });
    for (const [name, instance] of [['a-init-old1', 'a'], ['a-init-old2', 'a'], ['a-init-new', 'a'], ['a-init-x-other', 'a-init-x'], ['a-other', 'a']] as const) {
      await kube.create(job(name, instance));
    }
  });
  after(async () => {
    kube.close();
    await sim.stop();
  });

  it('keeps everything while the current Job is absent or not complete', async () => {
    const current = await kube.get({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'default', name: 'a-init-new' });
    expect(await pruneSupersededJobs(kube, undefined, jobs)).to.deep.equal([]);
    expect(await pruneSupersededJobs(kube, current, jobs)).to.deep.equal([]);
    expect(await names()).to.have.length(5);
  });

  it('deletes the earlier Jobs of the same owner once the current one succeeded, and only those', async () => {
    const current = complete(await kube.get({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'default', name: 'a-init-new' }));
    expect(jobState(current).state).to.equal('complete');
    expect((await pruneSupersededJobs(kube, current, jobs)).sort()).to.deep.equal(['a-init-old1', 'a-init-old2']);
    expect(await names()).to.deep.equal(['a-init-new', 'a-init-x-other', 'a-other']);
    expect(await pruneSupersededJobs(kube, current, jobs)).to.deep.equal([]);
  });
});
