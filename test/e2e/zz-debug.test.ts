import type { TenantStatus } from '#operators/main/types.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { startRig, statusOf, tenantRef } from './harness.ts';

it('debug many', async function () {
  this.timeout(300_000);
  const rig = await startRig();
  await rig.restartMain({ TENANT_REQUEUE_SECONDS: '60' });
  const names = Array.from({ length: 30 }, (_, i) => `many-${i}`);
  const t0 = Date.now();
  await Promise.all(names.map((name) => rig.kube.create({ ...tenantRef(name), metadata: { name }, spec: {} })));
  await waitFor(async () => (await Promise.all(names.map((n) => rig.readyTenant(n, '5/5')))).every(Boolean), { timeoutMs: 240_000, intervalMs: 500 });
  console.log('total', Date.now() - t0);
  const agg: Record<string, number[]> = {};
  for (const n of names) {
    const s = statusOf(await rig.kube.get(tenantRef(n))) as TenantStatus;
    for (const st of s.steps ?? []) {
      (agg[`${st.name} wait`] ??= []).push(Date.parse(st.startedAt ?? '') - t0);
      (agg[`${st.name} dur`] ??= []).push(Date.parse(st.readyAt ?? '') - Date.parse(st.startedAt ?? ''));
    }
  }
  for (const [k, v] of Object.entries(agg)) { v.sort((a, b) => a - b); console.log(k, 'min', v[0], 'med', v[Math.floor(v.length / 2)], 'max', v[v.length - 1]); }
  await rig.stop();
});
