import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { RenderError } from './errors.ts';
import { kustomList, mergePatch, patch, secretLiteral } from './kustomize.ts';

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});
const service = (namespace?: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: namespace ? { name: 'web', namespace } : { name: 'web' }, spec: { ports: [{ port: 80 }] },
});

describe('render kustomize helpers', () => {
  it('secretLiteral encodes the literals in base64, keys sorted', () => {
    const secret = secretLiteral('acme-env', 'tenant-acme', { b: 'two', a: 'ö' }, { labels: { x: 'y' } });
    expect(secret).to.deep.equal({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'acme-env', namespace: 'tenant-acme', labels: { x: 'y' } },
      type: 'Opaque', data: { a: Buffer.from('ö').toString('base64'), b: 'dHdv' },
    });
    expect(Object.keys(secret['data'] as object)).to.deep.equal(['a', 'b']);
    expect(secretLiteral('t', 'ns', {}, { type: 'kubernetes.io/tls' })['type']).to.equal('kubernetes.io/tls');
  });

  it('mergePatch follows RFC 7386', () => {
    expect(mergePatch({ a: 'b', c: { d: 'e', f: 'g' } }, { a: 'z', c: { f: null } })).to.deep.equal({ a: 'z', c: { d: 'e' } });
    expect(mergePatch({ a: [1, 2] }, { a: [3] })).to.deep.equal({ a: [3] });
    expect(mergePatch({ a: 'b' }, { e: { f: null } })).to.deep.equal({ a: 'b', e: {} });
    expect(mergePatch({ a: 'b' }, ['c'])).to.deep.equal(['c']);
  });

  it('patch changes only the matching object and leaves the input untouched', () => {
    const input = [deployment(), service('ns')];
    const output = patch(input, { kind: 'Deployment', name: 'web' }, { spec: { replicas: 2 }, metadata: { labels: { app: null } } });
    expect((output[0]!['spec'] as { replicas: number }).replicas).to.equal(2);
    expect(output[0]!.metadata.labels).to.deep.equal({});
    expect(output[1]).to.equal(input[1]);
    expect((input[0]!['spec'] as { replicas: number }).replicas).to.equal(3);
    expect(input[0]!.metadata.labels).to.deep.equal({ app: 'web' });
  });

  it('patch fails when no object matches', () => {
    expect(() => patch([service('ns')], { kind: 'Service', name: 'web', namespace: 'other' }, {}))
      .to.throw(RenderError, 'patch target Service/web in namespace other matches no object');
    expect(() => patch([service('ns')], { kind: 'Deployment', name: 'web' }, {})).to.throw(RenderError);
  });

  it('kustomList concatenates, applies namespace, labels and owner, and lets later duplicates win', () => {
    const owner = { apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', name: 'db', uid: 'u-1', controller: true };
    const binding: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' },
      subjects: [{ kind: 'ServiceAccount', name: 'sa' }, { kind: 'User', name: 'u' }],
    };
    const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-acme' } };
    const replacement = { ...service(), spec: { ports: [{ port: 8080 }] } };
    const input = [[namespace, deployment(), service()], [binding, replacement]];
    const result = kustomList(...input, { namespace: 'tenant-acme', commonLabels: { 'nimbus.dev/tenant': 'acme' }, ownerReference: owner });
    expect(result.map((o) => `${o.kind}/${o.metadata.namespace ?? '-'}/${o.metadata.name}`)).to.deep.equal([
      'Namespace/-/tenant-acme', 'Deployment/tenant-acme/web', 'Service/tenant-acme/web', 'ClusterRoleBinding/-/b',
    ]);
    expect(result[2]!['spec']).to.deep.equal({ ports: [{ port: 8080 }] });
    const dep = result[1]!;
    expect(dep.metadata.labels).to.deep.equal({ app: 'web', 'nimbus.dev/tenant': 'acme' });
    const spec = dep['spec'] as { selector: unknown; template: { metadata: { labels: unknown } } };
    expect(spec.template.metadata.labels).to.deep.equal({ app: 'web', 'nimbus.dev/tenant': 'acme' });
    expect(spec.selector).to.deep.equal({ matchLabels: { app: 'web' } });
    expect(result.every((o) => o.metadata.ownerReferences?.length === 1 && o.metadata.ownerReferences[0]!.uid === 'u-1')).to.equal(true);
    expect(result[3]!['subjects']).to.deep.equal([{ kind: 'ServiceAccount', name: 'sa', namespace: 'tenant-acme' }, { kind: 'User', name: 'u' }]);
    // inputs untouched
    expect(input[0]![1]!.metadata).to.deep.equal({ name: 'web', labels: { app: 'web' } });
  });

  it('kustomList without options just concatenates and de-duplicates', () => {
    const result = kustomList([service('a')], [service('b')], [service('a')]);
    expect(result.map((o) => o.metadata.namespace)).to.deep.equal(['a', 'b']);
    const owned = kustomList([{ ...service('a'), metadata: { name: 'web', namespace: 'a', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u' }] } }],
      { ownerReference: { apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u' } });
    expect(owned[0]!.metadata.ownerReferences).to.have.length(1);
  });
});
