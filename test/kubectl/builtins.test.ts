/**
 * The real `kubectl` against the embedded API server, for what goes through the sim's built-in kinds: protobuf
 * create bodies (`kubectl create namespace|serviceaccount|configmap|role`), the server-side printer columns of
 * built-in kinds, and RBAC escalation prevention with `--as`.
 */
import { expect } from 'chai';
import { startApiServer } from '#sim/index.ts';
import { kubectlFor, type Kubectl, type KubectlRun } from '../helpers/kubectl.ts';
import type { ApiServer } from '#sim/index.ts';

describe('kubectl: built-in kinds of the embedded API server', function () {
  this.timeout(120_000);
  let server: ApiServer;
  let cli: Kubectl;

  const kubectl = (args: string[], input?: string): Promise<KubectlRun> => cli.run(args, input);
  const ok = (args: string[], input?: string): Promise<string> => cli.ok(args, input);

  function header(table: string): string[] {
    return (table.trim().split('\n')[0] ?? '').split(/\s{2,}/);
  }

  before(async () => {
    server = await startApiServer({ quiet: true, kubeletDelayMs: 0 });
    cli = kubectlFor(server.kubeconfigPath);
  });
  after(async () => {
    await server?.stop();
    cli?.close();
  });

  it('create namespace / serviceaccount / configmap / role (protobuf bodies)', async () => {
    expect(await ok(['create', 'namespace', 'pb'])).to.contain('namespace/pb created');
    expect(await ok(['create', 'serviceaccount', 'op', '-n', 'pb'])).to.contain('serviceaccount/op created');
    expect(await ok(['create', 'configmap', 'cm', '-n', 'pb', '--from-literal=k=v'])).to.contain('configmap/cm created');
    expect(await ok(['create', 'role', 'cm-reader', '-n', 'pb', '--verb=get', '--resource=configmaps'])).to.contain('role.rbac.authorization.k8s.io/cm-reader created');
    expect(await ok(['get', 'configmap', 'cm', '-n', 'pb', '-o', 'jsonpath={.data.k}'])).to.equal('v');
    expect(await ok(['get', 'namespace', 'pb', '-o', 'jsonpath={.status.phase}'])).to.equal('Active');
  });

  it('get deploy / sts / job / svc / secret show the real columns', async () => {
    const manifest = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: pb}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: nginx}]}',
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: pb}\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: c, image: couchdb}]}',
      'apiVersion: batch/v1\nkind: Job\nmetadata: {name: once, namespace: pb}\nspec:\n  template:\n    spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: pb}\nspec: {selector: {app: web}, ports: [{port: 80}]}',
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: pb}\nstringData: {a: b}',
    ].join('\n---\n');
    await ok(['apply', '-f', '-'], manifest);
    expect(header(await ok(['get', 'deploy', '-n', 'pb']))).to.deep.equal(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(header(await ok(['get', 'sts', '-n', 'pb']))).to.deep.equal(['NAME', 'READY', 'AGE']);
    expect(header(await ok(['get', 'job', '-n', 'pb']))[0]).to.equal('NAME');
    expect(header(await ok(['get', 'svc', '-n', 'pb']))).to.deep.equal(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(header(await ok(['get', 'secret', '-n', 'pb']))).to.deep.equal(['NAME', 'TYPE', 'DATA', 'AGE']);
    const svcRow = (await ok(['get', 'svc', 'web', '-n', 'pb', '--no-headers'])).trim().split(/\s+/);
    expect(svcRow.slice(0, 2)).to.deep.equal(['web', 'ClusterIP']);
    expect(svcRow[4]).to.equal('80/TCP');
  });

  it('RBAC escalation: --as a ServiceAccount that may create Roles cannot grant what it lacks', async () => {
    await ok(['create', 'role', 'role-writer', '-n', 'pb', '--verb=create', '--resource=roles.rbac.authorization.k8s.io']);
    await ok(['create', 'rolebinding', 'op-writes-roles', '-n', 'pb', '--role=role-writer', '--serviceaccount=pb:op']);
    await ok(['create', 'rolebinding', 'op-reads-cm', '-n', 'pb', '--role=cm-reader', '--serviceaccount=pb:op']);
    const as = ['--as', 'system:serviceaccount:pb:op'];
    const denied = await kubectl(['create', 'role', 'secrets-reader', '-n', 'pb', '--verb=get', '--resource=secrets', ...as]);
    expect(denied.code).to.not.equal(0);
    expect(denied.stderr).to.contain('is attempting to grant RBAC permissions not currently held');
    expect(await ok(['create', 'role', 'cm-reader-2', '-n', 'pb', '--verb=get', '--resource=configmaps', ...as])).to.contain('cm-reader-2 created');
  });
});
