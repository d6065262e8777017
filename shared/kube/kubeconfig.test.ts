import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer } from '#sim/index.ts';
import type { ApiServer } from '#sim/index.ts';
import { createKubeClient } from './client.ts';
import { ForbiddenError } from './errors.ts';
import { kubeconfigConnection } from './kubeconfig.ts';

function kubeconfig(server: string, user: string, cluster = ''): string {
  return `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\n${cluster}users:\n- name: u\n  user:\n${user}contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n`;
}

describe('kubeconfig loading without client-node', () => {
  let dir: string;
  let sim: ApiServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubeconfig-test-'));
    sim = await startApiServer({
      quiet: true,
      authorizer: (req) => (['Bearer from-file', 'Bearer from-exec', 'Bearer inline'].includes(req.headers.authorization ?? '') ? undefined : {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403, message: 'forbidden',
      }),
    });
  });
  after(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const listConfigMaps = (path: string) => {
    const kube = createKubeClient({ kubeconfigPath: path, fieldManager: 'x' });
    return kube.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' }).finally(() => kube.close());
  };

  it('reads server, CA (relative file), client certificate data, token and insecure flag', async () => {
    write('ca.crt', 'CA PEM');
    const path = write('k1', kubeconfig('https://10.0.0.1:6443',
      `    token: inline\n    client-certificate-data: ${Buffer.from('CERT').toString('base64')}\n    client-key-data: ${Buffer.from('KEY').toString('base64')}\n`,
      '    certificate-authority: ca.crt\n    tls-server-name: kubernetes\n'));
    const connection = kubeconfigConnection(path);
    expect(connection?.server).to.equal('https://10.0.0.1:6443');
    expect(String(connection?.tls.ca)).to.equal('CA PEM');
    expect(String(connection?.tls.cert)).to.equal('CERT');
    expect(connection?.tls.servername).to.equal('kubernetes');
    expect(await connection?.headers()).to.deep.equal({ Authorization: 'Bearer inline' });
  });

  it('sends a token read from tokenFile', async () => {
    write('token', 'from-file\n');
    const list = await listConfigMaps(write('k2', kubeconfig(sim.url, '    tokenFile: token\n')));
    expect(list.items).to.be.an('array');
  });

  it('hands exec credential plugins to client-node, whose token is then sent', async () => {
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'from-exec' } });
    const path = write('k3', kubeconfig(sim.url,
      `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: sh\n      args: ['-c', 'echo ''${credential}''']\n      interactiveMode: Never\n`));
    expect(kubeconfigConnection(path)).to.equal(undefined);
    const list = await listConfigMaps(path);
    expect(list.items).to.be.an('array');
  });

  it('is refused without credentials (the authorizer is real)', async () => {
    const error = await listConfigMaps(write('k4', kubeconfig(sim.url, '    {}\n'))).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ForbiddenError);
  });
});
