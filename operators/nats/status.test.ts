import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { findCondition } from '#shared/objects/index.ts';
import type { ComponentDefinition } from '#shared/component/types.ts';
import type { NatsObserved } from './desired.ts';
import { status } from './status.ts';
import type { NatsCluster, NatsClusterSpec } from './types.ts';

function cr(spec: NatsClusterSpec, generation = 1, previous?: NatsCluster['status']): NatsCluster {
  return {
    apiVersion: 'nimbus.dev/v1alpha1',
    kind: 'NatsCluster',
    metadata: { name: 'acme', namespace: 'tenant-acme', uid: 'u', generation, labels: { 'nimbus.dev/tenant': 'acme' } },
    spec,
    ...(previous ? { status: previous } : {}),
  };
}

function sts(generation: number, stat: Record<string, number>): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'acme-nats', generation }, status: stat };
}

const secrets = { 'acme-nats-user-acme': { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'acme-nats-user-acme' } } };

describe('NatsCluster status', () => {
  it('is Pending until the user Secrets exist', () => {
    const s = status(cr({}), { secrets: {} }, 't1');
    expect(s.phase).to.equal('Pending');
    expect(s.reason).to.equal('SecretsPending');
    expect(s.message).to.include('acme-nats-user-acme');
    expect(s.requeueAfterMs).to.be.a('number');
  });

  it('is Provisioning while the StatefulSet is not ready, with the replica count in the message', () => {
    const observed: NatsObserved = { secrets, statefulSet: sts(1, { observedGeneration: 1, readyReplicas: 1 }) };
    const s = status(cr({ replicas: 3 }), observed, 't1');
    expect(s.phase).to.equal('Provisioning');
    expect(s.reason).to.equal('StatefulSetNotReady');
    expect(s.message).to.include('1/3 replicas ready');
    expect(findCondition(s.conditions, 'Ready')).to.include({ status: 'False', reason: 'StatefulSetNotReady' });
    expect(findCondition(s.conditions, 'Progressing')).to.include({ status: 'True' });
  });

  it('does not trust a StatefulSet whose controller has not seen the current spec', () => {
    const observed: NatsObserved = { secrets, statefulSet: sts(2, { observedGeneration: 1, readyReplicas: 1 }) };
    expect(status(cr({}), observed, 't1').phase).to.equal('Provisioning');
  });

  it('is Ready with url, secretName and event outputs when every replica is ready', () => {
    const observed: NatsObserved = { secrets, statefulSet: sts(1, { observedGeneration: 1, readyReplicas: 1, updatedReplicas: 1 }) };
    const s = status(cr({}, 4), observed, 't2');
    expect(s.phase).to.equal('Ready');
    expect(s.fields).to.deep.equal({
      observedGeneration: 4,
      url: 'nats://acme-nats.tenant-acme.svc:4222',
      secretName: 'acme-nats-user-acme',
      userSecrets: { acme: 'acme-nats-user-acme' },
      readyReplicas: 1,
    });
    expect(s.outputs).to.deep.equal({ url: 'nats://acme-nats.tenant-acme.svc:4222', secretName: 'acme-nats-user-acme' });
    expect(findCondition(s.conditions, 'Ready')).to.include({ status: 'True', lastTransitionTime: 't2', observedGeneration: 4 });
    expect(s.requeueAfterMs).to.equal(undefined);
  });

  it('keeps lastTransitionTime when nothing changed', () => {
    const observed: NatsObserved = { secrets, statefulSet: sts(1, { observedGeneration: 1, readyReplicas: 1 }) };
    const first = status(cr({}), observed, 't1');
    const second = status(cr({}, 1, { conditions: first.conditions }), observed, 't9');
    expect(findCondition(second.conditions, 'Ready')?.lastTransitionTime).to.equal('t1');
  });

  it('is Failed with InvalidSpec for 2 replicas (when the CRD rule was bypassed)', () => {
    const s = status(cr({ replicas: 2 }), { secrets: {} }, 't1');
    expect(s.phase).to.equal('Failed');
    expect(s.reason).to.equal('InvalidSpec');
    expect(s.message).to.match(/spec\.replicas is 2/);
    expect(findCondition(s.conditions, 'Progressing')?.status).to.equal('False');
  });
});

describe('NatsCluster component contract', () => {
  it('fits the shared component skeleton (desired + status)', async () => {
    const { desired } = await import('./desired.ts');
    const definition: Pick<ComponentDefinition<NatsCluster, NatsObserved>, 'desired' | 'status'> = { desired, status };
    expect(definition.status(cr({}), { secrets: {} }, 't').phase).to.equal('Pending');
  });
});
