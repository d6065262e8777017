import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { desired, initJobName, type OpenWhiskObserved } from './desired.ts';
import { authSecrets, couchdbObject, designDocsConfigMap, openwhisk, userSecret } from './testing/fixtures.ts';
import { expectGolden, fakeRandom } from '../../test/helpers/golden.ts';
import { validateAll } from '../../test/helpers/kube-schema.ts';
import type { KubeObject } from '#shared/kube/types.ts';

import type { ComponentDefinition } from '#shared/component/types.ts';
import { observe } from './observe.ts';
import { status } from './status.ts';
import type { OpenWhisk, OpenWhiskSpec } from './types.ts';

// Compile-time: the pure functions (and observe) fit the shared reconcile skeleton's contract.
const _fits: Pick<ComponentDefinition<OpenWhisk, OpenWhiskObserved>, 'observe' | 'desired' | 'status'> = { observe, desired, status };

const golden = (name: string) => fileURLToPath(new URL(`./testdata/${name}.golden.yaml`, import.meta.url));
const all = (d: { apply: KubeObject[]; createOnce: KubeObject[] }) => [...d.createOnce, ...d.apply];
const find = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);

interface Env { name: string; value?: string }
function controllerEnv(objects: KubeObject[]): Record<string, string | undefined> {
  const deployment = find(objects, 'Deployment')[0] as unknown as { spec: { template: { spec: { containers: Array<{ env: Env[] }> } } } };
  const env = deployment.spec.template.spec.containers[0]?.env ?? [];
  return Object.fromEntries(env.map((e) => [e.name, e.value]));
}
/** What the controller's wait-for-database init container waits for. */
function waitForOf(objects: KubeObject[]): string | undefined {
  const deployment = find(objects, 'Deployment')[0] as unknown as { spec: { template: { spec: { initContainers: Array<{ env: Env[] }> } } } };
  const env = deployment.spec.template.spec.initContainers[0]?.env ?? [];
  return env.find((e) => e.name === 'WAIT_FOR')?.value;
}

const urlSpec: OpenWhiskSpec = {
  couchdb: { url: 'https://couch.example.com:6984', secretRef: { name: 'ext-couch', usernameKey: 'user', passwordKey: 'pass' }, databasePrefix: 'acme_' },
  namespaces: ['acme', 'acme-dev', 'acme-prod'],
  limits: { invocationsPerMinute: 120, concurrentInvocations: 10, firesPerMinute: 30, sequenceMaxLength: 20, actionMemoryMax: 1024, actionTimeoutMax: 30 },
  designDocuments: { configMapRef: { name: 'ow-design-docs' } },
};

describe('openwhisk desired()', () => {
  it('creates nothing while the referenced CouchDB is missing or not Ready', () => {
    const cr = openwhisk();
    expect(desired(cr, {})).to.deep.equal({ apply: [], createOnce: [] });
    expect(desired(cr, { couchdb: couchdbObject(false) })).to.deep.equal({ apply: [], createOnce: [] });
  });

  it('renders the lean controller on a Ready CouchDB ref, with the init Job and no design documents (golden)', () => {
    const cr = openwhisk();
    const observed: OpenWhiskObserved = { couchdb: couchdbObject(true), authSecrets: authSecrets(cr, ['acme']) };
    const d = desired(cr, observed, fakeRandom());
    validateAll(all(d));
    expectGolden(golden('ref'), all(d));
    const job = JSON.stringify(find(d.apply, 'Job')[0]);
    expect(job).not.to.contain('design-docs').and.not.to.contain('put_design_doc acme_');
    expect(waitForOf(d.apply)).to.equal('acme_subjects');
    expect(find(d.apply, 'ConfigMap').map((c) => c.metadata.name)).to.deep.equal(['acme-openwhisk-runtimes']);
  });

  it('renders an external CouchDB with several namespaces, limits and design documents (golden)', () => {
    const cr = openwhisk(urlSpec);
    const observed: OpenWhiskObserved = {
      couchdbSecret: userSecret(), authSecrets: authSecrets(cr, urlSpec.namespaces ?? []), designDocuments: designDocsConfigMap(),
    };
    const d = desired(cr, observed, fakeRandom());
    validateAll(all(d));
    expectGolden(golden('url-namespaces'), all(d));
    const job = JSON.stringify(find(d.apply, 'Job')[0]);
    expect(job).to.contain('"configMap":{"name":"ow-design-docs"}');
    for (const db of ['subjects', 'whisks', 'activations']) expect(job).to.contain(`put_design_doc 'acme_${db}' '_design/test' '${db}--test.json'`);
    expect(waitForOf(d.apply)).to.equal('acme_subjects/_design/test');
    expect(d.createOnce.map((s) => s.metadata.name)).to.deep.equal(['acme-openwhisk-auth-acme', 'acme-openwhisk-auth-acme-dev', 'acme-openwhisk-auth-acme-prod']);
  });

  it('puts every spec value into the CONFIG_whisk_* environment', () => {
    const cr = openwhisk(urlSpec);
    const env = controllerEnv(desired(cr, { couchdbSecret: userSecret() }).apply);
    expect(env).to.include({
      CONFIG_whisk_spi_MessagingProvider: 'org.apache.openwhisk.connector.lean.LeanMessagingProvider',
      CONFIG_whisk_spi_LoadBalancerProvider: 'org.apache.openwhisk.core.loadBalancer.LeanBalancer',
      CONFIG_whisk_spi_ArtifactStoreProvider: 'org.apache.openwhisk.core.database.CouchDbStoreProvider',
      CONFIG_whisk_spi_ContainerFactoryProvider: 'org.apache.openwhisk.core.containerpool.kubernetes.KubernetesContainerFactoryProvider',
      CONFIG_whisk_couchdb_protocol: 'https', CONFIG_whisk_couchdb_host: 'couch.example.com', CONFIG_whisk_couchdb_port: '6984',
      CONFIG_whisk_couchdb_databases_WhiskAuth: 'acme_subjects', CONFIG_whisk_couchdb_databases_WhiskEntity: 'acme_whisks',
      CONFIG_whisk_couchdb_databases_WhiskActivation: 'acme_activations',
      LIMITS_ACTIONS_INVOKES_PERMINUTE: '120', LIMITS_ACTIONS_INVOKES_CONCURRENT: '10', LIMITS_TRIGGERS_FIRES_PERMINUTE: '30',
      LIMITS_ACTIONS_SEQUENCE_MAXLENGTH: '20', CONFIG_whisk_memory_max: '1024 m', CONFIG_whisk_timeLimit_max: '30 s',
      CONFIG_whisk_timeLimit_std: '30 s', CONFIG_whisk_kubernetes_actionNamespace: 'tenant-acme',
    });
    // the credentials never appear as plain values
    expect(env).to.have.property('CONFIG_whisk_couchdb_password', undefined);
  });

  it('holds the init Job back until every auth Secret can be read', () => {
    const cr = openwhisk(urlSpec);
    const some = authSecrets(cr, ['acme', 'acme-dev']);
    expect(find(desired(cr, { couchdbSecret: userSecret(), authSecrets: some }).apply, 'Job')).to.have.length(0);
    expect(initJobName(cr, { couchdbSecret: userSecret(), authSecrets: some })).to.equal(undefined);
  });

  it('holds the init Job back while the design documents ConfigMap is missing; new contents, new Job', () => {
    const cr = openwhisk(urlSpec);
    const base: OpenWhiskObserved = { couchdbSecret: userSecret(), authSecrets: authSecrets(cr, urlSpec.namespaces ?? []) };
    expect(initJobName(cr, base)).to.equal(undefined);
    expect(find(desired(cr, base).apply, 'Job')).to.have.length(0);
    const first = initJobName(cr, { ...base, designDocuments: designDocsConfigMap() });
    expect(first).to.match(/^acme-openwhisk-init-[0-9a-f]{8}$/);
    expect(initJobName(cr, { ...base, designDocuments: designDocsConfigMap() })).to.equal(first);
    expect(initJobName(cr, { ...base, designDocuments: designDocsConfigMap('ow-design-docs', 'other') })).to.not.equal(first);
  });

  it('names a new init Job when a namespace is added, the same one for the same inputs', () => {
    const one = openwhisk({ couchdb: { ref: { name: 'acme' } }, namespaces: ['acme'] });
    const two = openwhisk({ couchdb: { ref: { name: 'acme' } }, namespaces: ['acme', 'acme-dev'] }, 2);
    const name1 = initJobName(one, { couchdb: couchdbObject(true), authSecrets: authSecrets(one, ['acme', 'acme-dev']) });
    expect(name1).to.match(/^acme-openwhisk-init-[0-9a-f]{8}$/);
    expect(initJobName(openwhisk({ couchdb: { ref: { name: 'acme' } }, namespaces: ['acme'] }, 5), { couchdb: couchdbObject(true), authSecrets: authSecrets(one, ['acme']) })).to.equal(name1);
    expect(initJobName(two, { couchdb: couchdbObject(true), authSecrets: authSecrets(two, ['acme', 'acme-dev']) })).to.not.equal(name1);
  });

  it('generates auth keys as <uuid>:<64-char key>, one Secret per namespace', () => {
    const d = desired(openwhisk(urlSpec), { couchdbSecret: userSecret() });
    expect(d.createOnce).to.have.length(3);
    for (const s of d.createOnce) {
      const text = JSON.stringify(s);
      const auth = (text.match(/"auth":"([^"]+)"/)?.[1]) ?? '';
      const plain = auth.includes(':') ? auth : Buffer.from(auth, 'base64').toString();
      expect(plain).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}:[0-9a-f]{64}$/);
    }
  });

  it('defaults the namespace to the tenant', () => {
    const d = desired(openwhisk(), { couchdb: couchdbObject(true) }, fakeRandom());
    expect(d.createOnce.map((s) => s.metadata.name)).to.deep.equal(['acme-openwhisk-auth-acme']);
  });

  it('owns and labels every child', () => {
    const cr = openwhisk();
    const d = desired(cr, { couchdb: couchdbObject(true), authSecrets: authSecrets(cr, ['acme']) });
    for (const object of all(d)) {
      expect(object.metadata.namespace).to.equal('tenant-acme');
      expect(object.metadata.ownerReferences?.[0]).to.include({ kind: 'OpenWhisk', name: 'acme', uid: 'uid-ow', controller: true });
      expect(object.metadata.labels).to.include({ 'nimbus.dev/tenant': 'acme', 'app.kubernetes.io/managed-by': 'nimbus-openwhisk' });
    }
  });
});
