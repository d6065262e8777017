/**
 * The operators' Deployments keep the promises of the README: two replicas with leader election, probes on the
 * health port, resources, a non-root read-only container, NATS_URL optional, pod identity from the downward API.
 */
import { operatorNodeFlags } from '../../scripts/node-flags.ts';
import { expect } from 'chai';
import { arr, rec, yamlFile } from './support/repo.ts';

const operators = ['main', 'couchdb', 'nats', 'openwhisk'] as const;

/** `{ name → env entry }` of a container. */
function envOf(container: Record<string, unknown>): Map<string, Record<string, unknown>> {
  return new Map(arr(container['env']).map(rec).map((e) => [String(e['name']), e]));
}

describe('packaging: operator Deployments', () => {
  for (const op of operators) {
    describe(`nimbus-${op}-operator`, () => {
      const deployment = rec(yamlFile('manifests', 'operators', op, 'base', 'deployment.yaml'));
      const spec = rec(deployment['spec']);
      const pod = rec(rec(spec['template'])['spec']);
      const containers = arr(pod['containers']).map(rec);
      const container = containers[0] ?? {};
      const env = envOf(container);

      it('runs its own operator from the shared image, as the Dockerfile lays it out', () => {
        expect(containers).to.have.length(1);
        expect(container['command']).to.deep.equal(['node', ...operatorNodeFlags, `dist/${op}/main.js`]);
        expect(pod['serviceAccountName']).to.equal(`nimbus-${op}-operator`);
      });

      it('has 2 replicas with leader election, the Lease in its own namespace, identity from the downward API', () => {
        expect(spec['replicas']).to.equal(2);
        expect(env.get('LEADER_ELECT')?.['value']).to.equal('true');
        expect(rec(rec(env.get('POD_NAMESPACE')?.['valueFrom'])['fieldRef'])['fieldPath']).to.equal('metadata.namespace');
        expect(rec(rec(env.get('POD_NAME')?.['valueFrom'])['fieldRef'])['fieldPath']).to.equal('metadata.name');
      });

      it('reads NATS_URL from the optional ConfigMap nimbus-bus, so it runs without the bus', () => {
        expect(rec(env.get('NATS_URL')?.['valueFrom'])['configMapKeyRef']).to.deep.equal({ name: 'nimbus-bus', key: 'NATS_URL', optional: true });
      });

      it('probes /healthz and /readyz on HTTP_PORT', () => {
        const port = Number(env.get('HTTP_PORT')?.['value']);
        const http = arr(container['ports']).map(rec).find((p) => p['name'] === 'http');
        expect(http?.['containerPort']).to.equal(port);
        expect(rec(rec(container['livenessProbe'])['httpGet'])).to.deep.equal({ path: '/healthz', port: 'http' });
        expect(rec(rec(container['readinessProbe'])['httpGet'])).to.deep.equal({ path: '/readyz', port: 'http' });
      });

      it('sets requests and a memory limit', () => {
        const resources = rec(container['resources']);
        expect(rec(resources['requests'])).to.have.keys('cpu', 'memory');
        expect(rec(resources['limits'])).to.have.property('memory');
      });

      it('runs as the image user 65532, non-root, read-only, without capabilities or escalation', () => {
        const podSecurity = rec(pod['securityContext']);
        expect(podSecurity).to.include({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 });
        expect(rec(podSecurity['seccompProfile'])['type']).to.equal('RuntimeDefault');
        const security = rec(container['securityContext']);
        expect(security).to.include({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
        expect(rec(security['capabilities'])['drop']).to.deep.equal(['ALL']);
      });
    });
  }
});
