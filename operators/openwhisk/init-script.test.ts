/**
 * The OpenWhisk init script run for real (`/bin/sh` + `curl`, as in the Job's image) against a CouchDB stand-in:
 * databases, the shipped design documents in the right databases, subjects; a rerun updates in place (GET _rev, PUT).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { designDocs } from './design-docs.ts';
import { databaseNames, openwhiskInitScript } from './init-script.ts';
import { startFakeCouchDB, type FakeCouchDB } from './testing/fake-couchdb.ts';

const docsDir = fileURLToPath(new URL('./design-docs/', import.meta.url));

function runScript(script: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('/bin/sh', ['-c', script], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

describe('openwhisk init script (sh + curl against a CouchDB stand-in)', function () {
  this.timeout(60_000);
  let couchdb: FakeCouchDB;
  const dbs = databaseNames('acme_');
  const script = () => openwhiskInitScript({
    couchdbUrl: couchdb.url, prefix: 'acme_', namespaces: ['acme', 'acme-dev'],
    designDocs: designDocs().map((doc) => ({ database: dbs[doc.database], id: doc.id, file: doc.file })),
    designDocsDir: docsDir,
  });
  const env = (key: string) => ({
    COUCHDB_USER: 'admin', COUCHDB_PASSWORD: 's3cret', AUTH_0: `11111111-2222-4333-8444-555555555555:${key}`, AUTH_1: 'aaaa:bbbb',
  });
  const doc = (db: string, id: string) => couchdb.databases.get(db)?.get(id);
  const withoutMeta = (stored: Record<string, unknown> | undefined) => {
    const { _rev: rev, _id: id, ...rest } = stored ?? {};
    void rev; void id;
    return rest;
  };

  before(async () => { couchdb = await startFakeCouchDB('admin', 's3cret'); });
  after(async () => { await couchdb.stop(); });

  it('creates the databases, writes every design document into its database, and the subjects', async () => {
    const { code, output } = await runScript(script(), env('k1'));
    expect(code, output).to.equal(0);
    expect([...couchdb.databases.keys()].sort()).to.deep.equal([dbs.activations, dbs.subjects, dbs.whisks].sort());
    for (const design of designDocs()) {
      const expected = JSON.parse(readFileSync(`${docsDir}${design.file}`, 'utf8')) as Record<string, unknown>;
      const { _id: ignored, ...fields } = expected;
      void ignored;
      expect(withoutMeta(doc(dbs[design.database], design.id)), `${design.database} ${design.id}`).to.deep.equal(fields);
    }
    expect(doc(dbs.subjects, '_design/subjects.v2.0.0')?.['views']).to.have.property('identities');
    expect(doc(dbs.whisks, '_design/whisks.v2.1.0')?.['views']).to.have.property('actions');
    expect(doc(dbs.activations, '_design/whisks-filters.v2.1.1')?.['views']).to.have.property('activations');
    expect(withoutMeta(doc(dbs.subjects, 'acme'))).to.deep.equal({
      subject: 'acme', namespaces: [{ name: 'acme', uuid: '11111111-2222-4333-8444-555555555555', key: 'k1' }],
    });
    expect(output).to.contain('OpenWhisk init done');
  });

  it('is idempotent: a rerun updates every document with its current _rev, and a new key wins', async () => {
    const { code, output } = await runScript(script(), env('k2'));
    expect(code, output).to.equal(0);
    for (const design of designDocs()) {
      expect(String(doc(dbs[design.database], design.id)?.['_rev']), design.id).to.match(/^2-/);
    }
    expect(doc(dbs.subjects, 'acme')?.['_rev']).to.match(/^2-/);
    expect((doc(dbs.subjects, 'acme')?.['namespaces'] as Array<{ key: string }>)[0]?.key).to.equal('k2');
  });

  it('fails with the HTTP status when CouchDB refuses the credentials', async () => {
    const { code, output } = await runScript(script(), { ...env('k3'), COUCHDB_PASSWORD: 'wrong' });
    expect(code).to.equal(1);
    expect(output).to.match(/failed with HTTP 401/);
  });
});
