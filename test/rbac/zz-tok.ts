import { startApiServer } from '#sim/index.ts';
import { execFileSync } from 'node:child_process';
const sim = await startApiServer({ quiet: true });
sim.store.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'default' } });
try { console.log(execFileSync('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'create', 'token', 'sa', '-v=6'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).slice(0, 60)); }
catch (e) { console.log(String((e as { stderr?: string }).stderr).slice(-1500)); }
await sim.stop();
