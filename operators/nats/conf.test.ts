import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderNatsConf, type NatsConfInput } from './conf.ts';
import { resolveSpec } from './spec.ts';
import type { NatsCluster, NatsClusterSpec } from './types.ts';

const natsServer = '/usr/sbin/nats-server';

function cr(spec: NatsClusterSpec, tenant?: string): NatsCluster {
  return {
    apiVersion: 'nimbus.dev/v1alpha1',
    kind: 'NatsCluster',
    metadata: { name: 'acme', namespace: 'tenant-acme', uid: 'u-1', ...(tenant ? { labels: { 'nimbus.dev/tenant': tenant } } : {}) },
    spec,
  };
}

/** Fixed passwords for every user of a spec (tests only). */
export function fixedPasswords(resource: NatsCluster): Record<string, string> {
  return Object.fromEntries(resolveSpec(resource).users.map((u) => [u.name, `${u.name}-password`]));
}

export function confInput(resource: NatsCluster, overrides: Partial<NatsConfInput> = {}): NatsConfInput {
  return {
    name: resource.metadata.name ?? '',
    namespace: resource.metadata.namespace ?? '',
    spec: resolveSpec(resource),
    passwords: fixedPasswords(resource),
    ...overrides,
  };
}

const customUsers: NatsClusterSpec['users'] = [
  { name: 'reader', permissions: { subscribe: { allow: ['acme.events.>'], deny: ['acme.events.secret'] }, publish: { deny: ['>'] } } },
  { name: 'admin', permissions: { publish: { allow: ['>'] }, subscribe: { allow: ['>'] } } },
];

const cases: Record<string, NatsCluster> = {
  'single-jetstream': cr({ replicas: 1 }, 'acme'),
  'single-no-jetstream': cr({ replicas: 1, jetstream: { enabled: false } }, 'acme'),
  'cluster-jetstream': cr({ replicas: 3, jetstream: { storage: { size: '5Gi' }, memory: '512Mi' } }, 'acme'),
  'cluster-no-jetstream': cr({ replicas: 3, jetstream: { enabled: false } }, 'acme'),
  'custom-permissions': cr({ replicas: 1, users: customUsers, monitoring: { port: 8333 } }),
};

/** `nats-server -t`: exit code and output of checking a config file (store_dir pointed at a temp dir). */
function checkConfig(conf: string, dir: string): { status: number | null; output: string } {
  const file = join(dir, 'nats.conf');
  writeFileSync(file, conf);
  const result = spawnSync(natsServer, ['-t', '-c', file], { env: { ...process.env, POD_NAME: 'acme-nats-0' }, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('nats.conf', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-natsconf-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, resource] of Object.entries(cases)) {
    describe(name, () => {
      it('matches the golden file (UPDATE_GOLDEN=1 regenerates)', () => {
        const conf = renderNatsConf(confInput(resource));
        const golden = new URL(`./testdata/${name}.golden.conf`, import.meta.url);
        if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, conf);
        expect(conf).to.equal(readFileSync(golden, 'utf8'));
      });
      it('is accepted by the real nats-server (nats-server -t)', () => {
        const conf = renderNatsConf(confInput(resource, { storeDir: join(dir, `${name}-js`) }));
        const { status, output } = checkConfig(conf, dir);
        expect(status, output).to.equal(0);
      });
    });
  }

  it('contains bcrypt hashes, never the passwords', () => {
    const conf = renderNatsConf(confInput(cases['custom-permissions']!));
    expect(conf).to.not.include('-password');
    expect(conf.match(/"\$2a\$04\$[./A-Za-z0-9]{53}"/g)).to.have.length(3);
  });

  it('is deterministic: the same passwords give the same config (no pod roll per reconcile)', () => {
    const resource = cases['cluster-jetstream']!;
    expect(renderNatsConf(confInput(resource))).to.equal(renderNatsConf(confInput(resource)));
    const changed = renderNatsConf(confInput(resource, { passwords: { acme: 'another' } }));
    expect(changed).to.not.equal(renderNatsConf(confInput(resource)));
  });

  it('routes to every replica through the headless Service', () => {
    const conf = renderNatsConf(confInput(cr({ replicas: 5 }, 'acme')));
    for (let i = 0; i < 5; i++) expect(conf).to.include(`"nats://acme-nats-${i}.acme-nats-headless.tenant-acme.svc:6222"`);
    expect(renderNatsConf(confInput(cases['single-jetstream']!))).to.not.include('cluster {');
  });

  it('the checker really checks: a broken config is refused', () => {
    const { status } = checkConfig('listen: "0.0.0.0:4222"\nauthorization { users: [ { user: "a" ', dir);
    expect(status).to.not.equal(0);
  });
});
