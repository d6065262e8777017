import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import type { Cause } from '#sim/types.ts';
import { createBuiltinAdmission } from './index.ts';
import { loadSteps as recordedSteps, mismatch } from '../../test/helpers/recorded-cases.ts';
import { asStored, createCtx, updateCtx } from './match.test-support.ts';

type Recorded = { kind?: string; metadata?: { namespace?: string }; details?: { causes?: Cause[] } };

function namespaceOf(path: string): string | undefined {
  return /\/namespaces\/([^/]+)\//.exec(path)?.[1];
}

function pairs(causes: Cause[]): string[] {
  return causes.map((c) => `${c.field}|${c.reason}`).sort();
}

/** Replays the create steps of a recorded case through admission, checking 201 bodies and 422 causes. */
function replayCreates(caseName: string, admission = createBuiltinAdmission(), kind?: string): KubeObject[] {
  const created: KubeObject[] = [];
  for (const [i, step] of recordedSteps(caseName).entries()) {
    if (step.request.method !== 'POST' || step.request.path.endsWith('/token')) continue;
    const body = step.request.body as KubeObject;
    if (!body.metadata.name) continue; // generateName / missing name: the store's part
    const res = admission.admitBuiltin(asStored(body, namespaceOf(step.request.path)), createCtx(body.kind));
    const recorded = step.response.body as Recorded;
    if (step.response.status === 201) {
      expect(res.causes, `step ${i + 1} causes`).to.deep.equal([]);
      expect(mismatch(recorded, res.object), `step ${i + 1}`).to.equal(undefined);
      if (!kind || res.object.kind === kind) created.push(res.object);
    } else if (step.response.status === 422) {
      expect(pairs(res.causes), `step ${i + 1} causes`).to.deep.equal(pairs(recorded.details?.causes ?? []));
    }
  }
  return created;
}

describe('builtins admission (recorded answers of kube-apiserver 1.24)', () => {
  for (const name of ['deployment-defaults', 'statefulset-defaults-status', 'job-defaults-status', 'service-crud-defaults',
    'secret-crud', 'pvc-create-delete', 'namespace-create-duplicate-get', 'configmap-invalid-name', 'serviceaccount-crud',
    'event-core-v1-crud', 'lease-leader-election', 'rbac-clusterrole-binding', 'rbac-role-binding-sa-token']) {
    it(`${name}: create defaults and 422 causes`, () => {
      replayCreates(name);
    });
  }

  it('service merge patch: targetPort re-defaulted, clusterIP kept', () => {
    const admission = createBuiltinAdmission();
    const [web] = replayCreates('service-crud-defaults', admission, 'Service');
    const patched = structuredClone(web!);
    (patched.spec as { ports: unknown[] }).ports = [{ name: 'http', port: 8080 }];
    const res = admission.admitBuiltin(patched, updateCtx('Service', web!));
    expect(res.causes).to.deep.equal([]);
    const recorded = recordedSteps('service-crud-defaults')[5]!.response.body;
    expect(mismatch(recorded, res.object)).to.equal(undefined);
    expect((res.object.spec as { clusterIP: string }).clusterIP).to.equal((web!.spec as { clusterIP: string }).clusterIP);
  });

  it('service ClusterIPs are unique, released on delete, and a taken IP is 422', () => {
    const admission = createBuiltinAdmission({ serviceCidr: '10.0.0.0/29' });
    const svc = (name: string, clusterIP?: string): KubeObject => asStored({ apiVersion: 'v1', kind: 'Service', metadata: { name },
      spec: { ports: [{ port: 80 }], ...(clusterIP ? { clusterIP } : {}) } }, 'ns');
    const ips = new Set<string>();
    const made: KubeObject[] = [];
    for (let i = 0; i < 5; i++) {
      const res = admission.admitBuiltin(svc(`s${i}`), createCtx('Service'));
      made.push(res.object);
      ips.add((res.object.spec as { clusterIP: string }).clusterIP);
    }
    expect(ips.size).to.equal(5);
    expect(() => admission.admitBuiltin(svc('full'), createCtx('Service'))).to.throw('range is full');
    admission.release(made[0]!);
    const again = admission.admitBuiltin(svc('again'), createCtx('Service'));
    expect((again.object.spec as { clusterIP: string }).clusterIP).to.equal((made[0]!.spec as { clusterIP: string }).clusterIP);
    const taken = admission.admitBuiltin(svc('dup', (made[1]!.spec as { clusterIP: string }).clusterIP), createCtx('Service'));
    expect(pairs(taken.causes)).to.deep.equal(['spec.clusterIPs|FieldValueInvalid']);
  });

  it('secret merge patch of stringData lands in data (recorded step 4)', () => {
    const admission = createBuiltinAdmission();
    const [creds] = replayCreates('secret-crud', admission, 'Secret');
    const patched = { ...structuredClone(creds!), stringData: { password: 'changed' } };
    const res = admission.admitBuiltin(patched, updateCtx('Secret', creds!));
    expect(mismatch(recordedSteps('secret-crud')[3]!.response.body, res.object)).to.equal(undefined);
    expect(res.object).to.not.have.property('stringData');
  });

  it('status updates keep the spec; spec changes bump generation; status is kept on the main endpoint', () => {
    const admission = createBuiltinAdmission();
    const [sts] = replayCreates('statefulset-defaults-status', admission, 'StatefulSet');
    const withStatus = { ...structuredClone(sts!), spec: { replicas: 9 }, status: { replicas: 1, readyReplicas: 1 } };
    const status = admission.admitBuiltin(withStatus, updateCtx('StatefulSet', sts!, 'status'));
    expect((status.object.spec as { replicas: number }).replicas).to.equal(1);
    expect(status.object.status).to.deep.equal({ replicas: 1, readyReplicas: 1 });
    const scaled = structuredClone(status.object);
    (scaled.spec as { replicas: number }).replicas = 3;
    scaled.status = {};
    const res = admission.admitBuiltin(scaled, updateCtx('StatefulSet', status.object));
    expect(res.causes).to.deep.equal([]);
    expect(res.object.metadata.generation).to.equal(2);
    expect(res.object.status).to.deep.equal({ replicas: 1, readyReplicas: 1 });
  });

  it('statefulset volumeClaimTemplates are immutable; job template is immutable; deployment selector is immutable', () => {
    const admission = createBuiltinAdmission();
    const [sts] = replayCreates('statefulset-defaults-status', admission, 'StatefulSet');
    const changed = structuredClone(sts!);
    (changed.spec as { volumeClaimTemplates: Array<{ spec: unknown }> }).volumeClaimTemplates[0]!.spec = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } };
    expect(pairs(admission.admitBuiltin(changed, updateCtx('StatefulSet', sts!)).causes)).to.deep.equal(['spec|FieldValueForbidden']);
    const [job] = replayCreates('job-defaults-status', admission, 'Job');
    const job2 = structuredClone(job!);
    (job2.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]!.image = 'other';
    expect(pairs(admission.admitBuiltin(job2, updateCtx('Job', job!)).causes)).to.deep.equal(['spec.template|FieldValueInvalid']);
    const [dep] = replayCreates('deployment-defaults', admission, 'Deployment');
    const dep2 = structuredClone(dep!);
    (dep2.spec as Record<string, unknown>).selector = { matchLabels: { app: 'web', x: 'y' } };
    (dep2.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels.x = 'y';
    expect(pairs(admission.admitBuiltin(dep2, updateCtx('Deployment', dep!)).causes)).to.deep.equal(['spec.selector|FieldValueInvalid']);
  });

  it('service validation: name is a DNS-1035 label, ports need names when several, port range', () => {
    const admission = createBuiltinAdmission();
    const res = admission.admitBuiltin(asStored({ apiVersion: 'v1', kind: 'Service', metadata: { name: '1web' },
      spec: { ports: [{ port: 80 }, { port: 0, name: 'b' }] } }, 'ns'), createCtx('Service'));
    expect(pairs(res.causes)).to.deep.equal(['metadata.name|FieldValueInvalid', 'spec.ports[0].name|FieldValueRequired',
      'spec.ports[1].port|FieldValueInvalid', 'spec.ports[1].targetPort|FieldValueInvalid'].sort());
  });

  it('pod template defaults: probes, volumes, serviceAccount alias, :latest pulls Always', () => {
    const admission = createBuiltinAdmission();
    const res = admission.admitBuiltin(asStored({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: {
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { serviceAccountName: 'sa',
        volumes: [{ name: 'cfg', configMap: { name: 'c' } }],
        containers: [{ name: 'c', image: 'reg:5000/img:latest', readinessProbe: { httpGet: { path: '/_up', port: 80 } },
          volumeMounts: [{ name: 'cfg', mountPath: '/etc/c' }] }] } } } }, 'ns'), createCtx('Deployment'));
    expect(res.causes).to.deep.equal([]);
    const pod = (res.object.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    expect(pod.serviceAccount).to.equal('sa');
    expect(mismatch({ volumes: [{ name: 'cfg', configMap: { name: 'c', defaultMode: 420 } }], containers: [{ imagePullPolicy: 'Always',
      readinessProbe: { httpGet: { path: '/_up', port: 80, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 } }] },
    { ...pod, containers: [(pod.containers as unknown[])[0]] })).to.equal(undefined);
  });

  it('rbac: roleRef is immutable, rules need verbs', () => {
    const admission = createBuiltinAdmission();
    const binding = admission.admitBuiltin(asStored({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'u' }] }, 'ns'), createCtx('RoleBinding'));
    expect(binding.causes).to.deep.equal([]);
    expect((binding.object.subjects as Array<{ apiGroup: string }>)[0]!.apiGroup).to.equal('rbac.authorization.k8s.io');
    const changed = { ...structuredClone(binding.object), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'other' } };
    expect(pairs(admission.admitBuiltin(changed, updateCtx('RoleBinding', binding.object)).causes)).to.deep.equal(['roleRef|FieldValueInvalid']);
    const role = admission.admitBuiltin(asStored({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' },
      rules: [{ apiGroups: [''], resources: ['pods'] }] }, 'ns'), createCtx('Role'));
    expect(pairs(role.causes)).to.deep.equal(['rules[0].verbs|FieldValueRequired']);
  });

  it('custom kinds pass through untouched', () => {
    const admission = createBuiltinAdmission();
    const obj: KubeObject = { apiVersion: 'x.dev/v1', kind: 'Widget', metadata: { name: 'Bad_Name' } };
    const res = admission.admitBuiltin(obj, { operation: 'create', old: undefined, subresource: '',
      resource: { group: 'x.dev', version: 'v1', name: 'widgets', singularName: 'widget', kind: 'Widget', namespaced: true, verbs: [], subresources: [] } });
    expect(res).to.deep.equal({ object: obj, causes: [] });
  });
});
