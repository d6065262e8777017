/**
 * The names that tie the packaging files together agree: the image (Dockerfile, manifests, skaffold.yaml,
 * docker-compose.yml), the operator commands and the bundle layout of scripts/build.ts, the bus image, the health
 * port, and the files the Docker build context sends.
 */
import { operatorNodeFlags } from '../../scripts/node-flags.ts';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';
import { operatorNames } from '../../scripts/build.ts';
import { keptByDockerignore, parseDockerfile, stagesOf } from './support/dockerfile.ts';
import { kustomizeBuild } from './support/kustomize.ts';
import { arr, readRepoFile, rec, repoPath, repoRoot, yamlFile } from './support/repo.ts';

const version = String(rec(JSON.parse(readRepoFile('package.json')))['version']);
const skaffold = rec(yamlFile('skaffold.yaml'));
const compose = rec(load(readRepoFile('docker-compose.yml'), { schema: CORE_SCHEMA.withTags(mergeTag) }));
const services: Array<Record<string, unknown> & { name: string }> = Object.entries(rec(compose['services'])).map(([name, s]) => ({ ...rec(s), name }));
const dockerfile = parseDockerfile(readRepoFile('Dockerfile'));
const dockerignore = readRepoFile('.dockerignore');
const imageRepo = String(rec(arr(rec(skaffold['build'])['artifacts'])[0])['image']);

/** Containers of every workload in manifests/all. */
async function containers(): Promise<Array<Record<string, unknown>>> {
  const objects = await kustomizeBuild('manifests/all');
  return objects.flatMap((o) => arr(rec(rec(rec(o['spec'])['template'])['spec'])['containers']).map(rec));
}

/** Files under a repository folder, relative to the root. */
function filesUnder(folder: string): string[] {
  return readdirSync(repoPath(folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(repoRoot, join(e.parentPath, e.name)));
}

describe('packaging: names agree across Dockerfile, manifests, skaffold.yaml and docker-compose.yml', function () {
  this.timeout(30_000);

  it(`every operator runs the one image ${imageRepo}:${version} (package.json version)`, async () => {
    const operatorImages = (await containers()).filter((c) => c['name'] === 'operator').map((c) => c['image']);
    expect(operatorImages).to.have.length(operatorNames.length);
    for (const image of operatorImages) expect(image).to.equal(`${imageRepo}:${version}`);
    const built = services.filter((s) => s['build'] !== undefined);
    expect(built.map((s) => s.name)).to.have.members(operatorNames.map((o) => `${o}-operator`));
    for (const s of built) expect(s['image'], s.name).to.equal(`${imageRepo}:${version}`);
  });

  it('every operator command runs a bundle scripts/build.ts produces; the image default is the main operator', async () => {
    const commands = [
      ...(await containers()).filter((c) => c['name'] === 'operator').map((c) => arr(c['command'])),
      ...services.filter((s) => s['build'] !== undefined).map((s) => arr(s['command'])),
      JSON.parse(dockerfile.filter((i) => i.keyword === 'CMD').at(-1)?.args ?? '[]') as unknown[],
    ];
    const bundles = operatorNames.map((o) => `dist/${o}/main.js`);
    for (const command of commands) {
      expect(command.slice(0, 1 + operatorNodeFlags.length)).to.deep.equal(['node', ...operatorNodeFlags]);
      expect(bundles).to.include(command.at(-1));
    }
    expect(commands.at(-1)?.at(-1)).to.equal('dist/main/main.js');
    const used = new Set(commands.map((c) => c.at(-1)));
    expect([...used]).to.have.members(bundles);
  });

  it('the bus runs the same NATS image in manifests and in compose', async () => {
    const nats = (await containers()).filter((c) => c['name'] === 'nats').map((c) => c['image']);
    expect(nats).to.have.length(1);
    expect(services.find((s) => s.name === 'bus')?.['image']).to.equal(nats[0]);
  });

  it('the health port the Deployments probe is the port the image exposes', async () => {
    const exposed = dockerfile.filter((i) => i.keyword === 'EXPOSE').map((i) => Number(i.args));
    for (const c of (await containers()).filter((x) => x['name'] === 'operator')) {
      const port = arr(c['ports']).map(rec).find((p) => p['name'] === 'http')?.['containerPort'];
      expect(exposed).to.include(port);
    }
  });

  it('the Docker build context sends what the Dockerfile copies, and no tests', () => {
    const final = stagesOf(dockerfile);
    const sources = final.flatMap((s) => s.instructions)
      .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from='))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1))
      .map((p) => p.replace(/\/$/, ''));
    expect(sources).to.include.members(['package.json', 'package-lock.json', 'scripts', 'shared', 'operators']);
    for (const source of sources) expect(keptByDockerignore(dockerignore, source), source).to.equal(true);
    for (const file of [...filesUnder('operators'), ...filesUnder('shared'), ...filesUnder('scripts')]) {
      const isTest = /\.test\.ts$/.test(file) || /(^|\/)testdata\//.test(file);
      expect(keptByDockerignore(dockerignore, file), file).to.equal(!isTest);
    }
    for (const file of ['sim/index.ts', 'test/packaging/consistency.test.ts', 'node_modules/chai/package.json', 'dist/main/main.js', '.git/HEAD']) {
      expect(keptByDockerignore(dockerignore, file), file).to.equal(false);
    }
  });
});
