/**
 * The operators' RBAC as written: every rule says why it is there (a comment right above it), leader election is
 * confined to nimbus-system, and the OpenWhisk operator holds everything the Role it creates grants (Kubernetes
 * refuses to let anyone create a Role with more than they hold).
 */
import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { arr, asKubeObject, readRepoFile, rec, yamlDocuments } from './support/repo.ts';

const operators = ['main', 'couchdb', 'nats', 'openwhisk'] as const;

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[] }

const rulesOf = (o: KubeObject): Rule[] => arr(o['rules']).map((r) => r as Rule);

/** True when `held` grants `verb` on `group`/`resource`. */
function holds(held: readonly Rule[], group: string, resource: string, verb: string): boolean {
  return held.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
}

describe('packaging: RBAC', () => {
  for (const op of operators) {
    for (const file of ['clusterrole.yaml', 'rbac.yaml']) {
      it(`${op}/base/${file}: every rule has a comment saying why`, () => {
        const lines = readRepoFile('manifests', 'operators', op, 'base', file).split('\n');
        const ruleLines = lines.flatMap((line, i) => (/^\s*- apiGroups:/.test(line) ? [i] : []));
        expect(ruleLines, 'rules').to.not.be.empty;
        for (const i of ruleLines) expect(lines[i - 1] ?? '', `line ${i + 1} of ${file}`).to.match(/^\s*#/);
      });
    }

    it(`${op}: leases only through a Role in nimbus-system, nothing cluster-wide`, () => {
      const clusterRole = asKubeObject(yamlDocuments(readRepoFile('manifests', 'operators', op, 'base', 'clusterrole.yaml'))[0], op);
      for (const rule of rulesOf(clusterRole)) expect(rule.resources, 'ClusterRole resources').to.not.include('leases');
      const role = yamlDocuments(readRepoFile('manifests', 'operators', op, 'base', 'rbac.yaml'))
        .map((d) => asKubeObject(d, op)).find((o) => o.kind === 'Role');
      expect(role?.metadata.namespace).to.equal('nimbus-system');
      expect(holds(rulesOf(role!), 'coordination.k8s.io', 'leases', 'patch')).to.equal(true);
      // No wildcards anywhere.
      for (const rule of [...rulesOf(clusterRole), ...rulesOf(role!)]) {
        expect([...rule.apiGroups, ...rule.resources, ...rule.verbs]).to.not.include('*');
      }
    });
  }

  it('the OpenWhisk operator holds every permission of the Role it creates for the controller', () => {
    // The template's rules have no template expressions; blank out the ones in names and labels to parse it.
    const template = readRepoFile('operators', 'openwhisk', 'templates', 'rbac.yaml.hbs').replace(/\{\{[^}]*\}\}/g, 'x');
    const role = yamlDocuments(template).map((d) => rec(d)).find((d) => d['kind'] === 'Role');
    expect(role, 'Role in templates/rbac.yaml.hbs').to.not.equal(undefined);
    const clusterRole = asKubeObject(yamlDocuments(readRepoFile('manifests', 'operators', 'openwhisk', 'base', 'clusterrole.yaml'))[0], 'openwhisk');
    const granted = arr(role!['rules']).map((r) => r as Rule);
    expect(granted, 'rules').to.not.be.empty;
    for (const rule of granted) {
      for (const group of rule.apiGroups) for (const resource of rule.resources) for (const verb of rule.verbs) {
        expect(holds(rulesOf(clusterRole), group, resource, verb), `${verb} ${group}/${resource}`).to.equal(true);
      }
    }
  });
});
