/** The platform bus: its nats.conf is accepted by a real nats-server, and the operators find it by its Service. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { arr, asKubeObject, readRepoFile, rec, yamlDocuments } from './support/repo.ts';

const run = promisify(execFile);
const natsServer = process.env['NATS_SERVER'] ?? '/usr/sbin/nats-server';

const objects = ['configmap.yaml', 'service.yaml', 'statefulset.yaml']
  .flatMap((f) => yamlDocuments(readRepoFile('manifests', 'bus', 'base', f)).map((d) => asKubeObject(d, f)));
const find = (kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} not in manifests/bus/base`);
  return found;
};

describe('packaging: bus', function () {
  this.timeout(30_000);
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'nimbus-bus-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('nats.conf is valid for nats-server, with JetStream and the monitoring port', async () => {
    const conf = String(rec(find('ConfigMap', 'nimbus-bus-config')['data'])['nats.conf']);
    expect(conf).to.match(/jetstream\s*\{/).and.match(/http: 0\.0\.0\.0:8222/);
    const file = join(dir, 'nats.conf');
    // The store lives on the PVC at /data in the pod; here a temp folder stands in.
    writeFileSync(file, conf.replace('store_dir: /data', `store_dir: ${join(dir, 'data')}`));
    const { stdout, stderr } = await run(natsServer, ['-t', '-c', file], { env: { ...process.env, POD_NAME: 'nimbus-bus-0' } });
    expect(`${stdout}${stderr}`).to.match(/is valid/);
  });

  it('NATS_URL in ConfigMap nimbus-bus names the bus Service and its client port', () => {
    const url = new URL(String(rec(find('ConfigMap', 'nimbus-bus')['data'])['NATS_URL']));
    const service = find('Service', 'nimbus-bus');
    expect(url.hostname).to.equal(`${service.metadata.name ?? ''}.${service.metadata.namespace ?? ''}.svc`);
    const ports = arr(rec(service['spec'])['ports']).map(rec);
    expect(ports.map((p) => p['port'])).to.include(Number(url.port)).and.include(8222);
  });

  it('the StatefulSet mounts the config it names, stores JetStream on a PVC and runs non-root', () => {
    const sts = rec(find('StatefulSet', 'nimbus-bus')['spec']);
    expect(sts['serviceName']).to.equal(find('Service', 'nimbus-bus-headless').metadata.name);
    const pod = rec(rec(sts['template'])['spec']);
    const container = rec(arr(pod['containers'])[0]);
    expect(container['args']).to.deep.equal(['--config', '/etc/nats/nats.conf']);
    const volumes = arr(pod['volumes']).map(rec);
    expect(rec(volumes.find((v) => v['name'] === 'config')?.['configMap'])['name']).to.equal('nimbus-bus-config');
    expect(arr(sts['volumeClaimTemplates']).map((t) => rec(rec(t)['metadata'])['name'])).to.deep.equal(['data']);
    const mounts = arr(container['volumeMounts']).map(rec);
    expect(mounts.find((m) => m['name'] === 'data')?.['mountPath']).to.equal('/data');
    expect(rec(pod['securityContext'])['runAsNonRoot']).to.equal(true);
    expect(rec(container['securityContext'])['readOnlyRootFilesystem']).to.equal(true);
  });
});
