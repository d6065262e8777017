/**
 * The OpenWhisk init script run for real (`/bin/sh` + `curl`, as in the Job's image) against a CouchDB stand-in:
 * databases, design documents (test-authored, in a directory laid out as the mounted ConfigMap) in the databases
 * their keys name, subjects; a rerun updates in place (GET _rev, PUT); without design documents none are written.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { designDocPlan } from './design-docs.ts';
import { databaseNames, openwhiskInitScript } from './init-script.ts';
import { startFakeCouchDB, type FakeCouchDB } from './testing/fake-couchdb.ts';

/** The ConfigMap data a user would provide: tiny stand-ins for OpenWhisk's documents, one per database. */
const designData: Record<string, string> = {
  'subjects--test.json': '{ "_id": "_design/test", "views": {} }',
  // No _id: stored as _design/<name from the key>, like upstream's filter document.
  'whisks--snapshotFilters.json': '{\n  "filters": { "all": "function (doc, req) { return true; }" }\n}\n',
  'activations--test.json': '{ "_id": "_design/test", "views": { "byName": { "map": "function (doc) { emit(doc.name, 1); }" } } }',
  'README.txt': 'not a design document: ignored',
};
const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ow-design-docs' }, data: designData };

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
  let docsDir: string;
  const dbs = databaseNames('acme_');
  const plan = designDocPlan(configMap);
  const script = (withDesignDocs = true) => openwhiskInitScript({
    couchdbUrl: couchdb.url, prefix: 'acme_', namespaces: ['acme', 'acme-dev'],
    ...(withDesignDocs ? {
      designDocs: plan.docs.map((doc) => ({ database: dbs[doc.database], id: doc.id, file: doc.file })), designDocsDir: docsDir,
    } : {}),
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

  before(async () => {
    couchdb = await startFakeCouchDB('admin', 's3cret');
    // What the kubelet makes of the mounted ConfigMap: one file per key.
    docsDir = mkdtempSync(join(tmpdir(), 'ow-design-docs-'));
    for (const [key, text] of Object.entries(designData)) writeFileSync(join(docsDir, key), text);
  });
  after(async () => {
    await couchdb.stop();
    rmSync(docsDir, { recursive: true, force: true });
  });

  it('creates the databases, writes every design document into the database its key names, and the subjects', async () => {
    expect(plan.docs.map((d) => `${d.database}/${d.id}`)).to.deep.equal(['activations/_design/test', 'subjects/_design/test', 'whisks/_design/snapshotFilters']);
    const { code, output } = await runScript(script(), env('k1'));
    expect(code, output).to.equal(0);
    expect([...couchdb.databases.keys()].sort()).to.deep.equal([dbs.activations, dbs.subjects, dbs.whisks].sort());
    expect(withoutMeta(doc(dbs.subjects, '_design/test'))).to.deep.equal({ views: {} });
    expect(withoutMeta(doc(dbs.whisks, '_design/snapshotFilters'))).to.deep.equal({ filters: { all: 'function (doc, req) { return true; }' } });
    expect(withoutMeta(doc(dbs.activations, '_design/test'))).to.deep.equal({ views: { byName: { map: 'function (doc) { emit(doc.name, 1); }' } } });
    expect(doc(dbs.whisks, '_design/test')).to.equal(undefined);
    expect(withoutMeta(doc(dbs.subjects, 'acme'))).to.deep.equal({
      subject: 'acme', namespaces: [{ name: 'acme', uuid: '11111111-2222-4333-8444-555555555555', key: 'k1' }],
    });
    expect(output).to.contain('OpenWhisk init done');
  });

  it('is idempotent: a rerun updates every document with its current _rev, and a new key wins', async () => {
    const { code, output } = await runScript(script(), env('k2'));
    expect(code, output).to.equal(0);
    for (const design of plan.docs) {
      expect(String(doc(dbs[design.database], design.id)?.['_rev']), design.id).to.match(/^2-/);
    }
    expect(output).to.contain(`design document ${dbs.subjects}/_design/test: 201`);
    expect(doc(dbs.subjects, 'acme')?.['_rev']).to.match(/^2-/);
    expect((doc(dbs.subjects, 'acme')?.['namespaces'] as Array<{ key: string }>)[0]?.key).to.equal('k2');
  });

  it('without design documents writes the databases and subjects only', async () => {
    const bare = await startFakeCouchDB('admin', 's3cret');
    try {
      const { code, output } = await runScript(openwhiskInitScript({ couchdbUrl: bare.url, prefix: 'acme_', namespaces: ['acme'] }), env('k1'));
      expect(code, output).to.equal(0);
      expect(output).not.to.contain('design document');
      expect([...bare.databases.values()].flatMap((db) => [...db.keys()])).to.deep.equal(['acme']);
    } finally {
      await bare.stop();
    }
  });

  it('fails with the HTTP status when CouchDB refuses the credentials', async () => {
    const { code, output } = await runScript(script(), { ...env('k3'), COUCHDB_PASSWORD: 'wrong' });
    expect(code).to.equal(1);
    expect(output).to.match(/failed with HTTP 401/);
  });
});
