import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import * as yaml from 'js-yaml';
import type { KubeObject } from '#shared/kube/types.ts';
import { renderFile } from '../../cli/commands/render.ts';
import { runNimbus } from './run-cli.ts';

function kinds(text: string): string[] {
  return yaml.loadAll(text).map((d) => `${(d as KubeObject).kind}/${(d as KubeObject).metadata.name ?? ''}`);
}

describe('nimbus render', function () {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'nimbus-render-test-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the CouchDB children as YAML documents, naming the init Job it leaves out', async () => {
    const result = await runNimbus(['render', 'manifests/samples/couchdb.yaml']);
    expect(result.code, result.stderr).to.equal(0);
    const objects = kinds(result.stdout);
    expect(objects).to.include.members([
      'Secret/demo-couchdb-admin', 'ConfigMap/demo-couchdb-config', 'Service/demo-couchdb', 'Service/demo-couchdb-headless',
      'StatefulSet/demo-couchdb', 'StatefulSet/demo-cluster-couchdb',
    ]);
    expect(objects.some((o) => o.startsWith('Job/'))).to.equal(false);
    expect(result.stdout).to.match(/^# .*init Job demo-couchdb-init-[0-9a-f]+ is applied once the StatefulSet is ready/m);
    expect(result.stdout.split('\n').filter((l) => l === '---')).to.have.length(objects.length);
  });

  it('prints a Tenant as its namespace objects and its three child CRs', () => {
    const objects = kinds(renderFile('manifests/samples/tenant.yaml'));
    expect(objects).to.deep.equal([
      'Namespace/tenant-acme', 'ResourceQuota/acme-quota', 'NetworkPolicy/acme-isolation',
      'CouchDB/acme', 'NatsCluster/acme', 'OpenWhisk/acme',
    ]);
  });

  it('prints the NATS children, and says an OpenWhisk waits for its CouchDB', () => {
    expect(kinds(renderFile('manifests/samples/natscluster.yaml'))).to.include.members(['StatefulSet/demo-nats', 'ConfigMap/demo-nats-config']);
    const openwhisk = renderFile('manifests/samples/openwhisk.yaml');
    expect(openwhisk).to.match(/# .*OpenWhisk default\/demo: nothing is applied until its CouchDB is usable \(CouchDBNotReady/);
    expect(kinds(openwhisk)).to.deep.equal(['Secret/external-couchdb']);
  });

  it('--assume-ready adds what waits for readiness: the init Jobs, an OpenWhisk\'s children', async () => {
    const couchdb = kinds(renderFile('manifests/samples/couchdb.yaml', { assumeReady: true }));
    expect(couchdb.filter((o) => o.startsWith('Job/demo-couchdb-init-'))).to.have.length(1);
    const result = await runNimbus(['render', '--assume-ready', 'manifests/samples/openwhisk.yaml']);
    expect(result.code, result.stderr).to.equal(0);
    const openwhisk = kinds(result.stdout);
    expect(openwhisk).to.include.members([
      'Secret/demo-openwhisk-auth-demo', 'Deployment/demo-openwhisk', 'Service/demo-openwhisk', 'Role/demo-openwhisk-controller',
    ]);
    expect(openwhisk.filter((o) => o.startsWith('Job/demo-openwhisk-init-'))).to.have.length(1);
    expect(result.stdout).to.contain('rendered as if its CouchDB were Ready');
  });

  it('fails with exit 1 and a clear message for a missing file, an unknown kind, bad YAML', async () => {
    const missing = await runNimbus(['render', join(dir, 'missing.yaml')]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain('cannot read').and.to.contain('no such file');

    const widget = join(dir, 'widget.yaml');
    writeFileSync(widget, 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n');
    const unknown = await runNimbus(['render', widget]);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.contain('unknown kind Widget (example.com/v1)');
    expect(unknown.stdout).to.equal('');

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'kind: [unclosed\n');
    const invalid = await runNimbus(['render', bad]);
    expect(invalid.code).to.equal(1);
    expect(invalid.stderr).to.contain('is not valid YAML');
  });

  it('fails with exit 2 and the usage for an unknown flag or no file', async () => {
    const flag = await runNimbus(['render', '--frobnicate', 'manifests/samples/couchdb.yaml']);
    expect(flag.code).to.equal(2);
    expect(flag.stderr).to.contain("Unknown option '--frobnicate'").and.to.contain('Usage: nimbus render <file>');
    const none = await runNimbus(['render']);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.contain('render needs a file');
  });
});
