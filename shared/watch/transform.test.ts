import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import {
  digestOf, isPartial, trimmedDigests, trimmedField, trimOtherOperatorsData, trimPaths, trimPodTemplates, withoutTrimmed,
} from './transform.ts';

const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } };
const statefulSet = (): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's', namespace: 'n', generation: 2 },
  spec: { replicas: 3, template }, status: { readyReplicas: 3 },
});

describe('informer transforms', () => {
  it('trimPodTemplates replaces the pod template of workloads by its digest and keeps the rest', () => {
    const original = statefulSet();
    const trimmed = trimPodTemplates(original);
    expect(trimmed['spec']).to.deep.equal({ replicas: 3 });
    expect(trimmed['status']).to.deep.equal({ readyReplicas: 3 });
    expect(trimmed.metadata).to.deep.equal(original.metadata);
    expect(trimmedDigests(trimmed)).to.deep.equal({ 'spec.template': digestOf(template) });
    expect((original['spec'] as Record<string, unknown>)['template'], 'the input is not mutated').to.deep.equal(template);
    expect(trimPodTemplates({ ...original, kind: 'Deployment' })[trimmedField]).to.not.equal(undefined);
    expect(trimPodTemplates({ ...original, kind: 'Job' })[trimmedField]).to.not.equal(undefined);
  });

  it('leaves other kinds and objects without the paths as they are', () => {
    const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
    expect(trimPodTemplates(configMap)).to.equal(configMap);
    const bare: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } };
    expect(trimPodTemplates(bare)).to.equal(bare);
    expect(trimmedDigests(bare)).to.equal(undefined);
  });

  it('digests tell a change of the trimmed part; withoutTrimmed drops those paths from a desired object', () => {
    const changed = statefulSet();
    (changed['spec'] as { template: unknown }).template = { ...template, metadata: { labels: { app: 'y' } } };
    expect(trimmedDigests(trimPodTemplates(changed))).to.not.deep.equal(trimmedDigests(trimPodTemplates(statefulSet())));
    const desired = statefulSet();
    expect(withoutTrimmed(desired, trimPodTemplates(statefulSet()))['spec']).to.deep.equal({ replicas: 3 });
    expect(withoutTrimmed(desired, desired)).to.equal(desired);
    expect(trimPaths([['data'], ['binaryData']])({ apiVersion: 'v1', kind: 'Secret', metadata: {}, data: { a: 'b' } }))
      .to.deep.equal({ apiVersion: 'v1', kind: 'Secret', metadata: {}, [trimmedField]: { data: digestOf({ a: 'b' }) } });
  });

  it('trimOtherOperatorsData keeps the own and the users\' objects whole, and marks the trimmed ones partial', () => {
    const secret = (managedBy?: string): KubeObject => ({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n', ...(managedBy ? { labels: { 'app.kubernetes.io/managed-by': managedBy } } : {}) },
      data: { password: 'c2VjcmV0' },
    });
    const transform = trimOtherOperatorsData('nimbus-couchdb');
    expect(transform(secret('nimbus-couchdb'))).to.deep.equal(secret('nimbus-couchdb'));
    expect(transform(secret())).to.deep.equal(secret());
    expect(transform(secret('helm'))).to.deep.equal(secret('helm'));
    const other = transform(secret('nimbus-nats'));
    expect(other['data']).to.equal(undefined);
    expect(other.metadata).to.deep.equal(secret('nimbus-nats').metadata);
    expect(isPartial(other)).to.equal(true);
    expect(isPartial(secret('nimbus-nats'))).to.equal(false);
    expect(isPartial(trimPodTemplates(statefulSet())), 'a trimmed pod template is read by no one').to.equal(false);
  });

  it('sameWhileGeneration: reuses the digests of an object while its generation stays, recomputes on a new one', () => {
    const transform = trimPaths([['spec', 'template']], { sameWhileGeneration: true });
    const withUid = (generation: number, image: string): KubeObject => ({
      ...statefulSet(), metadata: { name: 's', namespace: 'n', uid: 'u1', generation },
      spec: { replicas: 3, template: { ...template, spec: { containers: [{ name: 'c', image }] } } },
    });
    const first = trimmedDigests(transform(withUid(1, 'i:1')));
    // Only status changed (same generation): the memo answers, even for a template it did not look at.
    expect(trimmedDigests(transform(withUid(1, 'i:other')))).to.deep.equal(first);
    expect(trimmedDigests(transform(withUid(2, 'i:2')))).to.not.deep.equal(first);
    expect(trimmedDigests(transform(withUid(2, 'i:2')))).to.deep.equal(trimmedDigests(trimPaths([['spec', 'template']])(withUid(2, 'i:2'))));
    // Without a uid, no memo: every change shows.
    const plain = trimPaths([['spec', 'template']], { sameWhileGeneration: true });
    const changed = statefulSet();
    (changed['spec'] as { template: unknown }).template = { ...template, metadata: { labels: { app: 'y' } } };
    expect(trimmedDigests(plain(changed))).to.not.deep.equal(trimmedDigests(plain(statefulSet())));
  });
});
