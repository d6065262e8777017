import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { startApiServer } from '#sim/index.ts';
import { mintToken } from '#sim/auth/index.ts';
import { createKubeClient } from '#shared/kube/index.ts';
const run = promisify(execFile);
const sim = await startApiServer({ crdDir: 'manifests/crds', quiet: true });
const k = async (kc: string, ...a: string[]) => { try { const r = await run('kubectl', ['--kubeconfig', kc, ...a], { encoding: 'utf8' }); return r.stdout + r.stderr; } catch (e) { return 'ERR ' + String((e as { stderr: string }).stderr); } };
await k(sim.kubeconfigPath, 'apply', '-k', 'manifests/operators/couchdb');
const uid = await k(sim.kubeconfigPath, 'get', 'sa', 'nimbus-couchdb-operator', '-n', 'nimbus-system', '-o', 'jsonpath={.metadata.uid}');
const token = mintToken('nimbus-system', 'nimbus-couchdb-operator', { uid });
const kc = readFileSync(sim.kubeconfigPath, 'utf8').replace('user: {}', `user:\n    token: ${token}`);
writeFileSync('/tmp/h9kc.yaml', kc);
const c = createKubeClient({ kubeconfigPath: '/tmp/h9kc.yaml', fieldManager: 'x' });
try { console.log('pods', (await c.list({ apiVersion: 'v1', kind: 'Pod' }, { namespace: 'default' } as never)).items.length); } catch (e) { console.log('pods ERR', String(e)); }
try { console.log('sts', (await c.list({ apiVersion: 'apps/v1', kind: 'StatefulSet' }, {} as never)).items.length); } catch (e) { console.log('sts ERR', String(e)); }
const r = await fetch(`${sim.url}/api/v1/namespaces/default/pods`, { headers: { Authorization: `Bearer ${token}` } });
console.log('fetch', r.status);
c.close();
await sim.stop();
