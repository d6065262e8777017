/**
 * Every manifest parses and validates (Kubernetes schemas for built-in kinds, the CRDs for custom resources), every
 * kustomization builds with the installed kubectl, and each build holds what `kubectl apply -k` promises.
 */
import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { crdFor, validateBuiltIn, validateCustomResource } from './support/kube-schemas.ts';
import { idOf, kustomizeBuild } from './support/kustomize.ts';
import { asKubeObject, isKustomization, readRepoFile, yamlDocuments, yamlFilesUnder } from './support/repo.ts';

const operators = ['main', 'couchdb', 'nats', 'openwhisk'] as const;
const crdNames = {
  couchdb: 'couchdbs.nimbus.dev',
  nats: 'natsclusters.nimbus.dev',
  openwhisk: 'openwhisks.nimbus.dev',
  main: 'tenants.nimbus.dev',
} as const;

/** The CRDs of manifests/crds, which validate every custom resource below. */
function loadCrds(): KubeObject[] {
  return yamlFilesUnder('manifests/crds')
    .filter((f) => !isKustomization(f))
    .flatMap((f) => yamlDocuments(readRepoFile(f)).map((d) => asKubeObject(d, f)));
}

async function validateObject(object: KubeObject, crds: readonly KubeObject[]): Promise<void> {
  if (object.apiVersion.startsWith('nimbus.dev/')) {
    const crd = crdFor(object, crds);
    if (!crd) throw new Error(`${idOf(object)}: no CRD in manifests/crds serves ${object.apiVersion} ${object.kind}`);
    validateCustomResource(object, crd);
  } else {
    await validateBuiltIn(object);
  }
}

/** Every folder of manifests/ that holds a kustomization. */
const kustomizations = yamlFilesUnder('manifests').filter(isKustomization).map((f) => f.replace(/\/kustomization\.ya?ml$/, ''));

describe('packaging: manifests', function () {
  this.timeout(60_000);
  const crds = loadCrds();

  it('the validators reject broken objects (so a pass means something)', async () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two', selector: {}, template: {} } };
    let builtIn: unknown;
    await validateBuiltIn(deployment as unknown as KubeObject).catch((error: unknown) => { builtIn = error; });
    expect(String(builtIn)).to.match(/replicas/);
    const couchdb: KubeObject = { apiVersion: 'nimbus.dev/v1alpha1', kind: 'CouchDB', metadata: { name: 'x', namespace: 'default' }, spec: { replicas: 'one' } };
    const crd = crdFor(couchdb, crds);
    expect(crd, 'CouchDB CRD').to.not.equal(undefined);
    expect(() => validateCustomResource(couchdb, crd!)).to.throw(/replicas/);
  });

  it('has the four CRDs', () => {
    expect(crds.map((c) => c.metadata.name).sort()).to.deep.equal(Object.values(crdNames).sort());
  });

  for (const file of yamlFilesUnder('manifests').filter((f) => !isKustomization(f))) {
    it(`${file} parses and every object in it validates`, async () => {
      const docs = yamlDocuments(readRepoFile(file));
      expect(docs, 'documents').to.not.be.empty;
      for (const [i, doc] of docs.entries()) await validateObject(asKubeObject(doc, `${file} #${i + 1}`), crds);
    });
  }

  it('has the kustomizations the README documents', () => {
    for (const dir of ['manifests/all', 'manifests/bus', 'manifests/crds', ...operators.map((o) => `manifests/operators/${o}`)]) {
      expect(kustomizations, dir).to.include(dir);
    }
  });

  for (const dir of kustomizations) {
    it(`${dir} builds with kubectl kustomize, without duplicates, into valid objects`, async () => {
      const objects = await kustomizeBuild(dir);
      expect(objects, 'objects').to.not.be.empty;
      const ids = objects.map(idOf);
      expect(new Set(ids).size, `duplicates in ${ids.join(', ')}`).to.equal(ids.length);
      for (const object of objects) await validateObject(object, crds);
    });
  }

  describe('each operator installs alone', () => {
    const expectedCrds: Record<(typeof operators)[number], string[]> = {
      couchdb: [crdNames.couchdb],
      nats: [crdNames.nats],
      // It watches the CouchDB named by spec.couchdb.ref.
      openwhisk: [crdNames.couchdb, crdNames.openwhisk],
      // It creates and watches all three child kinds.
      main: Object.values(crdNames),
    };
    for (const op of operators) {
      it(`manifests/operators/${op}: namespace, its CRDs, RBAC bound to its ServiceAccount, the Deployment`, async () => {
        const objects = await kustomizeBuild(`manifests/operators/${op}`);
        const name = `nimbus-${op}-operator`;
        const of = (kind: string): KubeObject[] => objects.filter((o) => o.kind === kind);
        expect(of('Namespace').map((o) => o.metadata.name)).to.deep.equal(['nimbus-system']);
        expect(of('CustomResourceDefinition').map((o) => o.metadata.name).sort()).to.deep.equal([...expectedCrds[op]].sort());
        expect(of('ServiceAccount').map(idOf)).to.deep.equal([`ServiceAccount/nimbus-system/${name}`]);
        expect(of('Deployment').map(idOf)).to.deep.equal([`Deployment/nimbus-system/${name}`]);
        expect(of('ClusterRole').map((o) => o.metadata.name)).to.deep.equal([name]);
        const subject = { kind: 'ServiceAccount', name, namespace: 'nimbus-system' };
        for (const binding of [...of('ClusterRoleBinding'), ...of('RoleBinding')]) {
          expect(binding['subjects'], idOf(binding)).to.deep.equal([subject]);
          const ref = binding['roleRef'] as { kind: string; name: string };
          expect(objects.some((o) => o.kind === ref.kind && o.metadata.name === ref.name), `${idOf(binding)} → ${ref.kind} ${ref.name}`).to.equal(true);
        }
        expect(of('ClusterRoleBinding')).to.have.length(1);
        expect(of('RoleBinding')).to.have.length(1);
      });
    }
  });

  it('manifests/all: the namespace, all CRDs, the bus and the four operators, each object once', async () => {
    const objects = await kustomizeBuild('manifests/all');
    const ids = objects.map(idOf);
    expect(ids).to.include('Namespace//nimbus-system');
    for (const crd of Object.values(crdNames)) expect(ids).to.include(`CustomResourceDefinition//${crd}`);
    for (const op of operators) expect(ids).to.include(`Deployment/nimbus-system/nimbus-${op}-operator`);
    expect(ids).to.include.members(['StatefulSet/nimbus-system/nimbus-bus', 'Service/nimbus-system/nimbus-bus', 'ConfigMap/nimbus-system/nimbus-bus']);
    // Everything namespaced lives in nimbus-system.
    const namespaces = new Set(objects.map((o) => o.metadata.namespace).filter((n) => n !== undefined));
    expect([...namespaces]).to.deep.equal(['nimbus-system']);
  });
});
