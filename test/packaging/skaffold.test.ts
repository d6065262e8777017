/**
 * skaffold.yaml: no v4 schema is available offline, so this checks its structure against skaffold's v4 config
 * (known keys only), that every path it names exists, and that every port-forward names an object and a port
 * that the manifests of that profile really deploy.
 */
import { existsSync } from 'node:fs';
import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { kustomizeBuild } from './support/kustomize.ts';
import { arr, rec, repoPath, yamlFile } from './support/repo.ts';

const operators = ['main', 'couchdb', 'nats', 'openwhisk'] as const;
const skaffold = rec(yamlFile('skaffold.yaml'));
const configKeys = ['apiVersion', 'kind', 'metadata', 'requires', 'build', 'test', 'manifests', 'deploy', 'portForward', 'resourceSelector', 'verify', 'profiles'];
const profileKeys = ['name', 'activation', 'requiresAllActivations', 'build', 'test', 'manifests', 'deploy', 'portForward', 'resourceSelector', 'verify', 'patches'];
const forwardKeys = ['resourceType', 'resourceName', 'namespace', 'port', 'address', 'localPort'];

const kustomizePaths = (config: Record<string, unknown>): string[] => arr(rec(rec(config['manifests'])['kustomize'])['paths']).map(String);

/** The container or service ports of the object a port-forward names. */
function portsOf(object: KubeObject): unknown[] {
  if (object.kind === 'Service') return arr(rec(object['spec'])['ports']).map((p) => rec(p)['port']);
  const pod = rec(rec(rec(object['spec'])['template'])['spec']);
  return arr(pod['containers']).flatMap((c) => arr(rec(c)['ports']).map((p) => rec(p)['containerPort']));
}

async function checkForwards(forwards: unknown[], paths: string[]): Promise<void> {
  const objects = (await Promise.all(paths.map(kustomizeBuild))).flat();
  const localPorts = forwards.map((f) => rec(f)['localPort']);
  expect(new Set(localPorts).size, 'distinct local ports').to.equal(localPorts.length);
  for (const f of forwards.map(rec)) {
    expect(Object.keys(f).filter((k) => !forwardKeys.includes(k)), 'unknown portForward keys').to.deep.equal([]);
    const kind = { deployment: 'Deployment', service: 'Service', statefulset: 'StatefulSet', pod: 'Pod' }[String(f['resourceType'])];
    const target = objects.find((o) => o.kind === kind && o.metadata.name === f['resourceName'] && o.metadata.namespace === f['namespace']);
    expect(target, `${String(f['resourceType'])} ${String(f['namespace'])}/${String(f['resourceName'])} in ${paths.join(', ')}`).to.not.equal(undefined);
    expect(portsOf(target!), `port ${String(f['port'])}`).to.include(f['port']);
  }
}

describe('packaging: skaffold.yaml', function () {
  this.timeout(60_000);

  it('is a skaffold v4 Config with known keys only', () => {
    expect(String(skaffold['apiVersion'])).to.match(/^skaffold\/v4beta\d+$/);
    expect(skaffold['kind']).to.equal('Config');
    expect(Object.keys(skaffold).filter((k) => !configKeys.includes(k))).to.deep.equal([]);
    expect(rec(skaffold['deploy'])).to.have.property('kubectl');
  });

  it('builds one image from the Dockerfile', () => {
    const artifacts = arr(rec(skaffold['build'])['artifacts']).map(rec);
    expect(artifacts).to.have.length(1);
    const artifact = artifacts[0]!;
    expect(String(artifact['image']), 'no tag: skaffold tags it').to.not.include(':');
    const context = typeof artifact['context'] === 'string' ? artifact['context'] : '.';
    const dockerfile = rec(artifact['docker'])['dockerfile'];
    expect(existsSync(repoPath(context, typeof dockerfile === 'string' ? dockerfile : 'Dockerfile'))).to.equal(true);
  });

  it('deploys manifests/all, and a profile per operator deploys only that operator', () => {
    expect(kustomizePaths(skaffold)).to.deep.equal(['manifests/all']);
    const profiles = arr(skaffold['profiles']).map(rec);
    expect(profiles.map((p) => p['name'])).to.have.members([...operators]);
    for (const p of profiles) {
      expect(Object.keys(p).filter((k) => !profileKeys.includes(k)), `profile ${String(p['name'])} keys`).to.deep.equal([]);
      expect(kustomizePaths(p)).to.deep.equal([`manifests/operators/${String(p['name'])}`]);
    }
    for (const path of [...kustomizePaths(skaffold), ...profiles.flatMap(kustomizePaths)]) {
      expect(existsSync(repoPath(path, 'kustomization.yaml')), path).to.equal(true);
    }
  });

  it('forwards every operator health port and the bus monitor, to objects manifests/all deploys', async () => {
    const forwards = arr(skaffold['portForward']);
    expect(forwards.map((f) => rec(f)['resourceName'])).to.include.members([...operators.map((o) => `nimbus-${o}-operator`), 'nimbus-bus']);
    await checkForwards(forwards, kustomizePaths(skaffold));
  });

  for (const op of operators) {
    it(`profile ${op} forwards its operator's health port, to an object it deploys`, async () => {
      const profile = arr(skaffold['profiles']).map(rec).find((p) => p['name'] === op)!;
      const forwards = arr(profile['portForward']);
      expect(forwards.map((f) => rec(f)['resourceName'])).to.deep.equal([`nimbus-${op}-operator`]);
      await checkForwards(forwards, kustomizePaths(profile));
    });
  }
});
