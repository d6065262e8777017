import { expect } from 'chai';
import type { AuthorizationDecision } from '#sim/auth/index.ts';
import { commentedRules, type OperatorRbac } from './manifests.ts';
import { expandRule, usageOf } from './usage.ts';

const text = `# header
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: op
rules:
  # Watch its own resource.
  - apiGroups: [nimbus.dev]
    resources: [things]
    verbs: [list, watch]
  # Children, applied.
  # rbac-unused-ok(delete): deleted only when spec.x changes;
  # onboarding never changes it.
  - apiGroups: [batch]
    resources: [jobs]
    verbs: [create, patch, delete]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: leases
  namespace: sys
rules:
  # rbac-unused-ok: only with leader election.
  - apiGroups: [coordination.k8s.io]
    resources: [leases]
    verbs:
      - get
      - patch
`;

function decision(verb: string, group: string, resource: string, namespace = 'x'): AuthorizationDecision {
  return { username: 'u', verb, group, resource, subresource: '', namespace, name: '', path: '', allowed: true, source: 'request', atMs: 0 };
}

describe('rbac: granted versus used', () => {
  const rules = commentedRules(text, 'f.yaml');
  const rbac: OperatorRbac = { operator: 'op', serviceAccount: { namespace: 'sys', name: 'op' }, username: 'u', objects: [], rules };

  it('reads each rule with the comment above it and its rbac-unused-ok marker (verbs, multi-line reason)', () => {
    expect(rules.map((r) => `${r.roleKind}/${r.roleName}#${r.index}`)).to.deep.equal(['ClusterRole/op#0', 'ClusterRole/op#1', 'Role/leases#0']);
    expect(rules[0]?.unusedOk).to.equal(undefined);
    expect(rules[0]?.comment).to.deep.equal(['Watch its own resource.']);
    expect(rules[1]?.unusedOk).to.deep.equal({ verbs: ['delete'], reason: 'deleted only when spec.x changes; onboarding never changes it.' });
    expect(rules[2]?.unusedOk).to.deep.equal({ verbs: undefined, reason: 'only with leader election.' });
    expect(rules[2]?.namespace).to.equal('sys');
  });

  it('refuses a file whose rules it cannot pair with their comments', () => {
    const flow = 'kind: ClusterRole\nmetadata: {name: x}\nrules: [{apiGroups: [""], resources: [pods], verbs: [get]}]\n';
    expect(() => commentedRules(flow, 'g.yaml')).to.throw(/one "- apiGroups:" item per rule/);
  });

  it('expands a rule into verb × group × resource', () => {
    expect(expandRule({ verbs: ['get', 'list'], apiGroups: ['', 'apps'], resources: ['x'], resourceNames: [], nonResourceURLs: [] }))
      .to.have.length(4);
  });

  it('fails on an unused permission without a marker, excuses marked ones, notes markers that excuse used ones', () => {
    const report = usageOf(rbac, [decision('list', 'nimbus.dev', 'things'), decision('create', 'batch', 'jobs'), decision('patch', 'batch', 'jobs'),
      decision('get', 'coordination.k8s.io', 'leases', 'sys'), decision('patch', 'coordination.k8s.io', 'leases', 'other')]);
    expect(report.problems).to.deep.equal(['f.yaml ClusterRole op rule #1: granted, never used: watch nimbus.dev/things (remove it, or say why with # rbac-unused-ok(<verbs>): <reason>)']);
    // A Role's rule counts only requests in its namespace; the whole-rule marker covers a partly used rule, with a note.
    expect(report.usages[2]?.unused.map((t) => t.verb)).to.deep.equal(['patch']);
    expect(report.notes).to.have.length(1);
    expect(report.notes[0]).to.contain('Role leases rule #1: marked rbac-unused-ok for the whole rule but partly used');
    const all = usageOf(rbac, [decision('list', 'nimbus.dev', 'things'), decision('watch', 'nimbus.dev', 'things'), decision('delete', 'batch', 'jobs'),
      decision('create', 'batch', 'jobs'), decision('patch', 'batch', 'jobs')]);
    expect(all.problems).to.deep.equal([]);
    expect(all.notes[0]).to.contain('rule #2: marked rbac-unused-ok(delete) but delete was used');
  });
});
