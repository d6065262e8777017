/**
 * The real `kubectl` (1.32) against the embedded API server: client-side and server-side apply, get -o json, CRDs
 * and custom resources with printer columns, wait for conditions and deletion, and RBAC with a ServiceAccount token.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { startApiServer } from '#sim/index.ts';
import { kubectlFor, type Kubectl, type KubectlRun } from '../helpers/kubectl.ts';
import type { ApiServer, Authorizer } from '#sim/index.ts';
import { createRbacAuthorizer, mintToken } from '#sim/auth/index.ts';
import { tokenSubresourceHandler } from '#sim/builtins/index.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('kubectl against the embedded API server', function () {
  this.timeout(120_000);
  let server: ApiServer;
  let cli: Kubectl;

  const kubectl = (args: string[], input?: string): Promise<KubectlRun> => cli.run(args, input);
  const ok = (args: string[], input?: string): Promise<string> => cli.ok(args, input);

  before(async () => {
    let authorizer: Authorizer | undefined;
    server = await startApiServer({
      quiet: true,
      kubeletDelayMs: 200,
      authorizer: (req, attrs) => authorizer?.(req, attrs),
      subresources: { '/serviceaccounts/token': tokenSubresourceHandler() },
      onStart: (store) => { authorizer = createRbacAuthorizer(store.api); },
    });
    cli = kubectlFor(server.kubeconfigPath);
  });
  after(async () => {
    await server?.stop();
    cli?.close();
  });

  it('apply -f creates a ConfigMap and a Deployment; get -o json shows the server defaults', async () => {
    const out = await ok(['apply', '-f', join(fixtures, 'app.yaml')]);
    expect(out).to.contain('configmap/app-config created').and.contain('deployment.apps/app created');
    const cm = JSON.parse(await ok(['get', 'configmap', 'app-config', '-n', 'default', '-o', 'json'])) as KubeObject;
    expect(cm.data).to.deep.equal({ greeting: 'hello' });
    expect(cm.metadata.annotations).to.have.property('kubectl.kubernetes.io/last-applied-configuration');
    const dep = JSON.parse(await ok(['get', 'deployment', 'app', '-n', 'default', '-o', 'json'])) as KubeObject;
    expect(dep.spec).to.deep.include({ revisionHistoryLimit: 10, progressDeadlineSeconds: 600 });
    const again = await ok(['apply', '-f', join(fixtures, 'app.yaml')]);
    expect(again).to.contain('configmap/app-config unchanged');
  });

  it('wait --for=condition=Available: the simulated kubelet makes the Deployment available', async () => {
    const out = await ok(['wait', '--for=condition=Available', 'deployment/app', '-n', 'default', '--timeout=30s']);
    expect(out).to.contain('deployment.apps/app condition met');
    const status = JSON.parse(await ok(['get', 'deployment', 'app', '-n', 'default', '-o', 'jsonpath={.status}'])) as Record<string, unknown>;
    expect(status).to.include({ readyReplicas: 2, availableReplicas: 2 });
    expect(await ok(['rollout', 'status', 'deployment/app', '-n', 'default', '--timeout=30s'])).to.contain('successfully rolled out');
  });

  it('apply --server-side updates a field and owns it', async () => {
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n  namespace: default\ndata:\n  greeting: bonjour\n';
    const out = await ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], manifest);
    expect(out).to.contain('configmap/app-config serverside-applied');
    expect(await ok(['get', 'configmap', 'app-config', '-n', 'default', '-o', 'jsonpath={.data.greeting}'])).to.equal('bonjour');
    const ssaCreate = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-only\n  namespace: default\ndata:\n  k: v\n';
    expect(await ok(['apply', '--server-side', '-f', '-'], ssaCreate)).to.contain('configmap/ssa-only serverside-applied');
    expect(await ok(['get', 'configmap', 'ssa-only', '-n', 'default', '-o', 'jsonpath={.data.k}'])).to.equal('v');
  });

  it('a CRD: established, custom resources with defaults, the printer-column table, validation errors', async () => {
    await ok(['apply', '-f', join(fixtures, 'widget-crd.yaml')]);
    await ok(['wait', '--for=condition=Established', 'crd/widgets.kubectl.nimbus.dev', '--timeout=30s']);
    expect(await ok(['apply', '-f', join(fixtures, 'widget.yaml')])).to.contain('widget.kubectl.nimbus.dev/w1 created');
    const table = await ok(['get', 'widgets', '-n', 'default']);
    const [header, row] = table.trim().split('\n');
    expect(header?.split(/\s+/)).to.deep.equal(['NAME', 'SIZE', 'PHASE', 'AGE']);
    expect(row?.split(/\s+/).slice(0, 2)).to.deep.equal(['w1', '3']);
    expect(await ok(['get', 'wdg', 'w1', '-n', 'default', '-o', 'jsonpath={.spec.color}'])).to.equal('blue');
    const bad = await kubectl(['apply', '-f', '-'], 'apiVersion: kubectl.nimbus.dev/v1\nkind: Widget\nmetadata:\n  name: w0\n  namespace: default\nspec:\n  size: 0\n');
    expect(bad.code).to.not.equal(0);
    expect(bad.stderr).to.contain('The Widget "w0" is invalid: spec.size');
  });

  it('delete and wait --for=delete', async () => {
    await ok(['delete', 'widget', 'w1', '-n', 'default', '--wait=false']);
    await ok(['wait', '--for=delete', 'widget/w1', '-n', 'default', '--timeout=30s']);
    const gone = await kubectl(['get', 'widget', 'w1', '-n', 'default']);
    expect(gone.code).to.not.equal(0);
    expect(gone.stderr).to.contain('widgets.kubectl.nimbus.dev "w1" not found');
    await ok(['delete', '-f', join(fixtures, 'app.yaml')]);
    await ok(['wait', '--for=delete', 'deployment/app', '-n', 'default', '--timeout=30s']);
  });

  it('RBAC: kubectl --as a ServiceAccount is forbidden until a RoleBinding grants access', async () => {
    // Not `kubectl create namespace|serviceaccount|role|token`: those send protobuf bodies (see the report). And not
    // `--token`: clientcmd sends credentials to https servers only, so against the plain-HTTP sim we impersonate.
    await ok(['apply', '-f', join(fixtures, 'rbac.yaml')]);
    const as = ['--as', 'system:serviceaccount:kubectl-rbac:reader'];
    const denied = await kubectl(['get', 'configmaps', '-n', 'kubectl-rbac', ...as]);
    expect(denied.code).to.not.equal(0);
    expect(denied.stderr).to.contain('configmaps is forbidden: User "system:serviceaccount:kubectl-rbac:reader" cannot list resource "configmaps" in API group "" in the namespace "kubectl-rbac"');
    await ok(['apply', '-f', join(fixtures, 'rbac-binding.yaml')]);
    const allowed = await ok(['get', 'configmaps', '-n', 'kubectl-rbac', ...as, '-o', 'json']);
    expect((JSON.parse(allowed) as { items: unknown[] }).items).to.deep.equal([]);
    expect((await kubectl(['get', 'secrets', '-n', 'kubectl-rbac', ...as])).stderr).to.contain('cannot list resource "secrets"');
  });

  it('RBAC over HTTP with bearer tokens: TokenRequest via kubectl create --raw, minted tokens, bad tokens 401', async () => {
    const request = await ok(['create', '--raw', '/api/v1/namespaces/kubectl-rbac/serviceaccounts/reader/token', '-f', '-'],
      JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }));
    const token = (JSON.parse(request) as { status: { token: string } }).status.token;
    const list = (t: string): Promise<Response> => fetch(`${server.url}/api/v1/namespaces/kubectl-rbac/configmaps`, { headers: { Authorization: `Bearer ${t}` } });
    expect((await list(token)).status).to.equal(200);
    expect((await list(mintToken('kubectl-rbac', 'reader'))).status).to.equal(200);
    expect((await list(mintToken('kubectl-rbac', 'nobody'))).status).to.equal(401);
    expect((await list('bogus')).status).to.equal(401);
  });
});
