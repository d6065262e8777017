import { expect } from 'chai';
import bcrypt from 'bcryptjs';
import type { KubeObject } from '#shared/kube/types.ts';
import { TerminalError } from '#shared/errors/index.ts';
import { validateBuiltIn } from '../../test/helpers/kube-schema.ts';
import { configHashAnnotation, desired, secretPassword, userSecretName, type NatsObserved } from './desired.ts';
import type { NatsCluster, NatsClusterSpec } from './types.ts';

function cr(spec: NatsClusterSpec): NatsCluster {
  return {
    apiVersion: 'nimbus.dev/v1alpha1',
    kind: 'NatsCluster',
    metadata: { name: 'acme', namespace: 'tenant-acme', uid: 'uid-nats', generation: 1, labels: { 'nimbus.dev/tenant': 'acme' } },
    spec,
  };
}

function secret(name: string, password: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'tenant-acme' }, data: { username: '', password: Buffer.from(password).toString('base64') } };
}

const none: NatsObserved = { secrets: {} };
let counter = 0;
const options = { newPassword: () => `generated-${++counter}` };

function find(objects: KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''}`);
  return found;
}

function podTemplate(sts: KubeObject): { metadata: { annotations: Record<string, string> }; spec: { containers: Record<string, unknown>[] } } {
  return (sts['spec'] as { template: never }).template;
}

function natsConf(objects: KubeObject[]): string {
  return (find(objects, 'ConfigMap')['data'] as Record<string, string>)['nats.conf'] ?? '';
}

describe('NatsCluster desired children', () => {
  it('renders valid Kubernetes objects: ConfigMap, client + headless Services, StatefulSet, and user Secrets', () => {
    const d = desired(cr({ users: [{ name: 'admin' }] }), none, options);
    expect(d.apply.map((o) => `${o.kind}/${o.metadata.name ?? ''}`)).to.deep.equal([
      'ConfigMap/acme-nats-config', 'Service/acme-nats', 'Service/acme-nats-headless', 'StatefulSet/acme-nats',
    ]);
    expect(d.createOnce.map((o) => o.metadata.name)).to.deep.equal([userSecretName('acme', 'acme'), userSecretName('acme', 'admin')]);
    for (const object of [...d.apply, ...d.createOnce]) {
      validateBuiltIn(object);
      expect(object.metadata.namespace).to.equal('tenant-acme');
      expect(object.metadata.labels?.['nimbus.dev/tenant']).to.equal('acme');
      expect(object.metadata.ownerReferences?.[0]).to.include({ kind: 'NatsCluster', uid: 'uid-nats', controller: true });
    }
  });

  it('reuses existing passwords and creates only the missing Secrets', () => {
    const observed: NatsObserved = { secrets: { [userSecretName('acme', 'acme')]: secret('acme-nats-user-acme', 'kept') } };
    const d = desired(cr({ users: [{ name: 'admin' }] }), observed, options);
    expect(d.createOnce.map((o) => o.metadata.name)).to.deep.equal(['acme-nats-user-admin']);
    const hash = /user: "acme"\n\s+password: "([^"]+)"/.exec(natsConf(d.apply))?.[1] ?? '';
    expect(bcrypt.compareSync('kept', hash)).to.equal(true);
    const admin = d.createOnce[0]!;
    const adminHash = /user: "admin"\n\s+password: "([^"]+)"/.exec(natsConf(d.apply))?.[1] ?? '';
    expect(bcrypt.compareSync(secretPassword(admin) ?? '', adminHash)).to.equal(true);
  });

  it('keeps the config hash stable for the same inputs and changes it when permissions change', () => {
    const observed: NatsObserved = { secrets: { 'acme-nats-user-acme': secret('acme-nats-user-acme', 'p1'), 'acme-nats-user-admin': secret('x', 'p2') } };
    const hashOf = (spec: NatsClusterSpec): string =>
      podTemplate(find(desired(cr(spec), observed, options).apply, 'StatefulSet')).metadata.annotations[configHashAnnotation] ?? '';
    const base = hashOf({ users: [{ name: 'admin' }] });
    expect(base).to.match(/^[0-9a-f]{16}$/);
    expect(hashOf({ users: [{ name: 'admin' }] })).to.equal(base);
    expect(hashOf({ users: [{ name: 'admin', permissions: { publish: { allow: ['acme.admin.>'] } } }] })).to.not.equal(base);
  });

  it('gives JetStream a volume claim and probes the monitoring port', () => {
    const sts = find(desired(cr({ replicas: 3, monitoring: { port: 8333 }, jetstream: { storage: { size: '5Gi', storageClassName: 'fast' } } }), none, options).apply, 'StatefulSet');
    const spec = sts['spec'] as Record<string, unknown>;
    expect(spec['replicas']).to.equal(3);
    expect(spec['podManagementPolicy']).to.equal('Parallel');
    expect(spec['volumeClaimTemplates']).to.deep.equal([{
      metadata: { name: 'data', labels: sts.metadata.labels },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '5Gi' } } },
    }]);
    const container = podTemplate(sts).spec.containers[0] as Record<string, { httpGet: { path: string; port: string } }>;
    expect(container['readinessProbe']?.httpGet).to.deep.equal({ path: '/healthz?js-server-only=true', port: 'monitor' });
    expect(container['livenessProbe']?.httpGet.path).to.equal('/healthz?js-enabled-only=true');
    expect(JSON.stringify(container['ports'])).to.include('"containerPort":8333');
  });

  it('deletes the JetStream volumes with the StatefulSet unless retainOnDelete', () => {
    const policy = (spec: NatsClusterSpec): unknown =>
      (find(desired(cr(spec), none, options).apply, 'StatefulSet')['spec'] as Record<string, unknown>)['persistentVolumeClaimRetentionPolicy'];
    expect(policy({})).to.deep.equal({ whenDeleted: 'Delete', whenScaled: 'Retain' });
    expect(policy({ jetstream: { storage: { retainOnDelete: true } } })).to.deep.equal({ whenDeleted: 'Retain', whenScaled: 'Retain' });
  });

  it('has no volume claim without JetStream', () => {
    const sts = find(desired(cr({ jetstream: { enabled: false } }), none, options).apply, 'StatefulSet');
    expect((sts['spec'] as Record<string, unknown>)['volumeClaimTemplates']).to.equal(undefined);
    expect(natsConf(desired(cr({ jetstream: { enabled: false } }), none, options).apply)).to.not.include('jetstream');
  });

  it('refuses 2 replicas with a terminal error naming the field', () => {
    expect(() => desired(cr({ replicas: 2 }), none, options)).to.throw(TerminalError, /spec\.replicas/);
  });
});
