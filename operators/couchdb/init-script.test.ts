/** The CouchDB init script's credential handling, run for real with /bin/sh (the Job's image runs busybox sh). */
import { execFile } from 'node:child_process';
import { expect } from 'chai';
import { couchdbInitScript } from './init-script.ts';

/** The script's prelude (definitions only, no request), then `tail`. */
function runPrelude(tail: string, env: Record<string, string>): Promise<string> {
  const script = couchdbInitScript({ replicas: 1, clientHost: 'h', nodeHosts: ['h'], databases: [] });
  const prelude = script.slice(0, script.indexOf('\nURL='));
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', `${prelude}\n${tail}`], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env } }, (error, stdout) => {
      if (error) reject(new Error(`the prelude failed: ${error.message}`, { cause: error }));
      else resolve(stdout);
    });
  });
}

describe('couchdb init script credentials', () => {
  it('JSON-escapes the admin name and password before they go into a request body', async () => {
    const password = 'p"a\\ss\\\\w" $x `y` \'z\'';
    const out = await runPrelude(`printf '{"username":"%s","password":"%s"}' "$JUSER" "$JPASS"`, { COUCHDB_USER: 'ad"min', COUCHDB_PASSWORD: password });
    expect(JSON.parse(out)).to.deep.equal({ username: 'ad"min', password });
  });

  it('puts the escaped values, never the raw ones, into the setup bodies', () => {
    const single = couchdbInitScript({ replicas: 1, clientHost: 'h', nodeHosts: ['h'], databases: [] });
    const cluster = couchdbInitScript({ replicas: 3, clientHost: 'h', nodeHosts: ['a', 'b', 'c'], databases: [] });
    for (const script of [single, cluster]) {
      expect(script).to.contain('"password":"\'"$JPASS"\'"');
      expect(script).to.not.contain('"\'"$COUCHDB_PASSWORD"\'"');
    }
  });
});
