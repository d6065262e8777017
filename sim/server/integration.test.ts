/**
 * The sim's parts working together, through the real client-node, from a spec file that imports `#sim/index.ts`
 * STATICALLY (mocha require()s it): errors thrown inside sim/patch and sim/builtins keep their real Status (422,
 * 409) instead of turning into a 500; managedFields make an apply conflict with another writer's fields; Service
 * ClusterIPs are given back; RBAC escalation is refused; built-in kinds print their real table columns.
 */
import { expect } from 'chai';
import * as k8s from '@kubernetes/client-node';
import { startApiServer } from '#sim/index.ts';
import type { ApiServer } from '#sim/index.ts';
import { mintToken } from '#sim/auth/index.ts';
import { failureOf } from '../../test/helpers/sim-test-kit.ts';

function clients(sim: ApiServer, token?: string): { core: k8s.CoreV1Api; rbac: k8s.RbacAuthorizationV1Api; objects: k8s.KubernetesObjectApi } {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: sim.url, skipTLSVerify: true }],
    users: [token ? { name: 'u', token } : { name: 'u' }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'u' }],
    currentContext: 'sim',
  });
  return { core: kc.makeApiClient(k8s.CoreV1Api), rbac: kc.makeApiClient(k8s.RbacAuthorizationV1Api), objects: k8s.KubernetesObjectApi.makeApiClient(kc) };
}

describe('sim integration (static import of #sim/index.ts)', () => {
  let sim: ApiServer;
  before(async () => { sim = await startApiServer({ quiet: true, kubelet: false, serviceCidr: '10.96.0.0/29' }); });
  after(async () => { await sim.stop(); });

  it('answers the real 422 and 409 of sim/patch, not a 500', async () => {
    const { core } = clients(sim);
    await core.createNamespace({ body: { metadata: { name: 'errs' } } });
    await core.createNamespacedConfigMap({ namespace: 'errs', body: { metadata: { name: 'cm' }, data: { k: 'v' } } });
    const failedTest = await failureOf(core.patchNamespacedConfigMap(
      { name: 'cm', namespace: 'errs', body: [{ op: 'test', path: '/data/k', value: 'other' }] },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch)));
    expect([failedTest.code, failedTest.body.reason]).to.deep.equal([422, 'Invalid']);
    const apply = (manager: string, value: string, force: boolean): Promise<unknown> => clients(sim).objects.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'errs' }, data: { k: value } },
      undefined, undefined, manager, force, k8s.PatchStrategy.ServerSideApply);
    // The creator (client-node's user agent) owns data.k: alice takes it over with force.
    await apply('alice', 'a', true);
    const conflict = await failureOf(apply('bob', 'b', false));
    expect([conflict.code, conflict.body.reason]).to.deep.equal([409, 'Conflict']);
    expect(conflict.body.message).to.equal('Apply failed with 1 conflict: conflict with "alice": .data.k');
  });

  it('records managedFields on plain writes: an apply conflicts with a field another writer set', async () => {
    const { core, objects } = clients(sim);
    await core.createNamespacedConfigMap({ namespace: 'errs', body: { metadata: { name: 'owned' }, data: { a: '1' } } }, k8s.setHeaderOptions('User-Agent', 'writer/1.0'));
    const created = await core.readNamespacedConfigMap({ name: 'owned', namespace: 'errs' });
    expect(created.metadata?.managedFields?.map((e) => [e.manager, e.operation])).to.deep.equal([['writer', 'Update']]);
    await core.patchNamespacedConfigMap({ name: 'owned', namespace: 'errs', body: { data: { b: '2' } }, fieldManager: 'patcher' },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    const spec: k8s.V1ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owned', namespace: 'errs' }, data: { b: '3' } };
    const conflict = await failureOf(objects.patch(spec, undefined, undefined, 'applier', false, k8s.PatchStrategy.ServerSideApply));
    expect(conflict.code).to.equal(409);
    expect(conflict.body.message).to.match(/^Apply failed with 1 conflict: conflict with "patcher" using v1 at [0-9TZ:-]+: \.data\.b$/);
    const forced = await objects.patch(spec, undefined, undefined, 'applier', true, k8s.PatchStrategy.ServerSideApply);
    const rv = forced.metadata?.resourceVersion;
    const again = await objects.patch(spec, undefined, undefined, 'applier', true, k8s.PatchStrategy.ServerSideApply);
    expect(again.metadata?.resourceVersion).to.equal(rv);
    expect(again.data).to.deep.equal({ a: '1', b: '3' });
  });

  it('gives ClusterIPs back on delete, dry-run and AlreadyExists (a /29 holds 6 Services)', async () => {
    const { core } = clients(sim);
    await core.createNamespace({ body: { metadata: { name: 'svcs' } } });
    const svc = (name: string): k8s.V1Service => ({ metadata: { name }, spec: { ports: [{ port: 80 }] } });
    for (let i = 0; i < 20; i++) {
      await core.createNamespacedService({ namespace: 'svcs', body: svc('s'), dryRun: 'All' });
      await core.createNamespacedService({ namespace: 'svcs', body: svc(`s${i}`) });
      const dup = await failureOf(core.createNamespacedService({ namespace: 'svcs', body: svc(`s${i}`) }));
      expect(dup.code).to.equal(409);
      await core.deleteNamespacedService({ name: `s${i}`, namespace: 'svcs' });
    }
    const last = await core.createNamespacedService({ namespace: 'svcs', body: svc('last') });
    expect(last.spec?.clusterIP).to.match(/^10\.96\.0\.\d$/);
  });

  it('refuses a Role granting permissions its creator lacks (403), allows it with the permissions', async () => {
    const { core, rbac } = clients(sim);
    await core.createNamespace({ body: { metadata: { name: 'esc' } } });
    await core.createNamespacedServiceAccount({ namespace: 'esc', body: { metadata: { name: 'op' } } });
    await rbac.createNamespacedRole({ namespace: 'esc', body: { metadata: { name: 'role-writer' }, rules: [
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['create', 'patch'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
    ] } });
    await rbac.createNamespacedRoleBinding({ namespace: 'esc', body: { metadata: { name: 'op' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'role-writer' },
      subjects: [{ kind: 'ServiceAccount', name: 'op', namespace: 'esc' }] } });
    const op = clients(sim, mintToken('esc', 'op')).rbac;
    const denied = await failureOf(op.createNamespacedRole({ namespace: 'esc', body: { metadata: { name: 'too-much' },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] } }));
    expect([denied.code, denied.body.reason]).to.deep.equal([403, 'Forbidden']);
    expect(denied.body.message).to.contain('is attempting to grant RBAC permissions not currently held');
    const held = await op.createNamespacedRole({ namespace: 'esc', body: { metadata: { name: 'fine' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] } });
    expect(held.metadata?.name).to.equal('fine');
    // A Role the admin made with more than `op` holds: `op` may change only what GC needs (finalizers, owners).
    await rbac.createNamespacedRole({ namespace: 'esc', body: { metadata: { name: 'admins', finalizers: ['x.dev/keep'] },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] } });
    const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
    const relabel = await failureOf(op.patchNamespacedRole({ name: 'admins', namespace: 'esc', body: { metadata: { labels: { a: 'b' } } } }, merge));
    expect(relabel.code).to.equal(403);
    const released = await op.patchNamespacedRole({ name: 'admins', namespace: 'esc', body: { metadata: { finalizers: null } } }, merge);
    expect(released.metadata?.finalizers).to.equal(undefined);
  });

  it('prints the real table columns of built-in kinds', async () => {
    const res = await fetch(`${sim.url}/api/v1/namespaces/svcs/services`, { headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    const table = await res.json() as { columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> };
    expect(table.columnDefinitions.map((c) => c.name)).to.include.members(['Name', 'Type', 'Cluster-IP', 'Age']);
    expect(table.rows[0]?.cells[1]).to.equal('ClusterIP');
  });
});
