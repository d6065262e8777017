/**
 * `npm run sim`: starts the embedded API server (port from SIM_PORT, else a free one; CRDs from SIM_CRD_DIR or
 * ./manifests/crds when it exists), prints the kubeconfig path and URL, stops on SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs';
import { startApiServer } from '#sim/index.ts';

const crdDir = process.env.SIM_CRD_DIR ?? (existsSync('manifests/crds') ? 'manifests/crds' : undefined);
const sim = await startApiServer({
  port: Number(process.env.SIM_PORT ?? '0'),
  ...(crdDir ? { crdDir } : {}),
});
process.stdout.write(`url: ${sim.url}\nkubeconfig: ${sim.kubeconfigPath}\nexport KUBECONFIG=${sim.kubeconfigPath}\n`);

const stop = (): void => {
  sim.stop().then(() => process.exit(0), (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
