/**
 * The Dockerfile passes two linters (dockerfilelint's best practices, dockerfile-utils' validation) and has the
 * shape the README promises: multi-stage, production dependencies only, numeric non-root user, exec-form CMD.
 */
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { validate } from 'dockerfile-utils';
import { parseDockerfile, stagesOf } from './support/dockerfile.ts';
import { readRepoFile, repoPath } from './support/repo.ts';

// dockerfilelint is CommonJS without an ES entry point.
const dockerfilelint = createRequire(import.meta.url)('dockerfilelint') as {
  run(configPath: string, content: string): Array<{ title: string; line: number; rule: string }>;
};

const text = readRepoFile('Dockerfile');
const stages = stagesOf(parseDockerfile(text));
const final = stages.at(-1)!;
const lint = (content: string) => dockerfilelint.run(repoPath('.'), content).map((i) => `${i.line}: ${i.rule} ${i.title}`);
const validation = (content: string) => validate(content).map((d) => `${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`);

describe('packaging: Dockerfile', () => {
  it('passes dockerfilelint', () => {
    expect(lint(text)).to.deep.equal([]);
  });

  it('passes dockerfile-utils validation', () => {
    expect(validation(text)).to.deep.equal([]);
  });

  it('the linters do flag a bad Dockerfile (so a pass means something)', () => {
    expect(lint('FROM node:latest\nRUN sudo apt-get install curl\nEXPOSE 80000\n')).to.have.length(3);
    expect(validation('FROM node\nCOPY --chwon=1 a b\nHEALTHCHECK --interval=5 CMD x\n')).to.have.length(2);
  });

  it('builds in stages from one pinned Node LTS slim image', () => {
    expect(stages.length).to.be.at.least(3);
    const images = new Set(stages.map((s) => s.image));
    expect([...images]).to.have.length(1);
    const [image] = [...images];
    const match = /^node:(\d+)\.\d+-slim$/.exec(image ?? '');
    expect(match, `${image ?? ''} is node:<major>.<minor>-slim`).to.not.equal(null);
    const major = Number(match![1]);
    expect(major % 2, 'an even (LTS) Node major').to.equal(0);
    expect(major).to.be.at.least(22);
  });

  it('the final stage has production dependencies only and the bundles, no sources and no tsx', () => {
    const copies = final.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    const depsStage = stages.find((s) => s.instructions.some((i) => i.keyword === 'RUN' && /npm ci\b.*--omit=dev/.test(i.args)));
    expect(depsStage?.name, 'a stage running npm ci --omit=dev').to.be.a('string');
    expect(copies).to.include(`--from=${depsStage!.name!} /app/node_modules/ node_modules/`);
    expect(copies.some((c) => /^--from=\S+ \S*dist\/ dist\/$/.test(c)), 'dist/ copied from the build stage').to.equal(true);
    expect(copies.filter((c) => !c.startsWith('--from=')), 'only package.json from the context').to.deep.equal(['package.json ./']);
    expect(final.instructions.some((i) => i.keyword === 'RUN'), 'no RUN in the final stage').to.equal(false);
  });

  it('runs as a numeric non-root user, with an exec-form CMD so node gets SIGTERM', () => {
    const user = final.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args ?? '';
    expect(user).to.match(/^\d+(:\d+)?$/);
    expect(Number(user.split(':')[0])).to.not.equal(0);
    expect(final.instructions.some((i) => i.keyword === 'ENTRYPOINT')).to.equal(false);
    const cmd = JSON.parse(final.instructions.filter((i) => i.keyword === 'CMD').at(-1)?.args ?? 'null') as unknown;
    expect(cmd).to.be.an('array');
    expect((cmd as string[])[0]).to.equal('node');
  });
});
