import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { decodeProtobufObject, isProtobufEnvelope } from './protobuf.ts';

/** Bodies captured from `kubectl create ...` (v1.32), which sends protobuf for these kinds. */
function captured(name: string): Buffer {
  return readFileSync(fileURLToPath(new URL(`./testdata/protobuf/${name}.bin`, import.meta.url)));
}

describe('builtins: protobuf request bodies of kubectl create', () => {
  it('decodes namespace, serviceaccount, configmap and secret', () => {
    expect(decodeProtobufObject(captured('namespaces'))).to.deep.equal({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'capns' }, spec: {} });
    expect(decodeProtobufObject(captured('serviceaccounts'))).to.deep.equal({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: 'capns' } });
    expect(decodeProtobufObject(captured('configmaps'))).to.deep.equal({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'capns' }, data: { a: '1', b: 'two' } });
    expect(decodeProtobufObject(captured('secrets'))).to.deep.equal({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1', namespace: 'capns' }, data: { user: 'YWRtaW4=' }, type: 'Opaque' });
  });

  it('decodes role bindings and a TokenRequest', () => {
    expect(decodeProtobufObject(captured('rolebindings'))).to.deep.equal({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding',
      metadata: { name: 'rb1', namespace: 'capns' },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }, { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' },
        { kind: 'ServiceAccount', name: 'robot', namespace: 'capns' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r1' } });
    expect(decodeProtobufObject(captured('clusterrolebindings'))?.roleRef).to.deep.equal({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cr1' });
    expect(decodeProtobufObject(captured('token'))).to.deep.equal({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {},
      spec: { audiences: ['a1'], expirationSeconds: 7200 } });
  });

  it('is undefined for JSON bodies', () => {
    expect(isProtobufEnvelope(Buffer.from('{"kind":"Namespace"}'))).to.equal(false);
    expect(decodeProtobufObject(Buffer.from('{}'))).to.equal(undefined);
  });
});
