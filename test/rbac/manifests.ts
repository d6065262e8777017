/**
 * The RBAC an operator is installed with, read the way a user installs it: `kubectl kustomize
 * manifests/operators/<name>` gives the objects (ServiceAccount, Roles, bindings, namespace), and the source YAML
 * files under that folder give each rule's comment, where an `# rbac-unused-ok: <reason>` marker may excuse a
 * permission the end-to-end run never exercises (see README.md).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';
import type { KubeObject } from '#shared/kube/types.ts';
import { rulesOf } from '#sim/auth/index.ts';
import type { PolicyRule } from '#sim/auth/index.ts';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The marker that excuses unused permissions of a rule: `# rbac-unused-ok: <reason>` (the whole rule) or
 * `# rbac-unused-ok(get, delete): <reason>` (only those verbs of the rule).
 */
export const UNUSED_OK = /#\s*rbac-unused-ok(?:\(([^)]*)\))?:\s*(\S.*)$/;

/** A parsed `rbac-unused-ok` marker. */
export interface UnusedOk {
  /** The verbs it excuses; undefined: every permission of the rule. */
  verbs: string[] | undefined;
  reason: string;
}

/** One rule of a Role/ClusterRole as written in the manifests. */
export interface ManifestRule {
  roleKind: 'Role' | 'ClusterRole';
  roleName: string;
  /** The Role's namespace ('' for a ClusterRole). */
  namespace: string;
  /** Position in the role's `rules`. */
  index: number;
  rule: PolicyRule;
  /** The comment lines just above the rule, without `#`. */
  comment: string[];
  /** The rule's `rbac-unused-ok` marker, if it carries one. */
  unusedOk: UnusedOk | undefined;
  /** Source file, relative to the repository root. */
  file: string;
}

/** What one operator's kustomization installs for its identity. */
export interface OperatorRbac {
  operator: string;
  serviceAccount: { namespace: string; name: string };
  /** `system:serviceaccount:<ns>:<name>` */
  username: string;
  /** Namespace, ServiceAccount, Roles, ClusterRoles and bindings of the kustomize output, in order. */
  objects: KubeObject[];
  /** The rules bound to the ServiceAccount. */
  rules: ManifestRule[];
}

const INSTALLED = new Set(['Namespace', 'ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry) ? [path] : [];
  });
}

/** The rules of every Role/ClusterRole in a YAML file, with the comment block above each rule. */
export function commentedRules(text: string, file: string): ManifestRule[] {
  const out: ManifestRule[] = [];
  const lines = text.split('\n');
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && !/^---\s*$/.test(lines[i] ?? '')) continue;
    const docLines = lines.slice(start, i);
    start = i + 1;
    const doc = yaml.load(docLines.join('\n')) as KubeObject | null | undefined;
    if (!doc || (doc.kind !== 'Role' && doc.kind !== 'ClusterRole')) continue;
    const rules = rulesOf(doc);
    const rulesAt = docLines.findIndex((l) => /^rules:\s*$/.test(l));
    const itemStarts: number[] = [];
    let indent: number | undefined;
    for (let j = rulesAt + 1; rulesAt >= 0 && j < docLines.length; j++) {
      const line = docLines[j] ?? '';
      if (/^\S/.test(line) && !line.startsWith('#')) break;
      const item = /^(\s*)- /.exec(line);
      if (item && (indent === undefined || item[1]?.length === indent)) { indent = item[1]?.length; itemStarts.push(j); }
    }
    if (itemStarts.length !== rules.length) {
      throw new Error(`${file}: ${doc.kind} ${doc.metadata.name ?? ''}: found ${itemStarts.length} rule items for ${rules.length} rules (write one "- apiGroups:" item per rule)`);
    }
    rules.forEach((rule, index) => {
      const comment: string[] = [];
      for (let j = (itemStarts[index] ?? 0) - 1; j >= 0 && /^\s*#/.test(docLines[j] ?? ''); j--) comment.unshift((docLines[j] ?? '').replace(/^\s*#\s?/, ''));
      const at = comment.findIndex((c) => UNUSED_OK.test(`# ${c}`));
      const match = at >= 0 ? UNUSED_OK.exec(`# ${comment[at] ?? ''}`) : null;
      // The reason may go on over the next comment lines.
      const marker: UnusedOk | undefined = match ? {
        verbs: match[1] === undefined ? undefined : match[1].split(',').map((v) => v.trim()).filter((v) => v !== ''),
        reason: [match[2] ?? '', ...comment.slice(at + 1)].map((l) => l.trim()).join(' ').trim(),
      } : undefined;
      out.push({
        roleKind: doc.kind as 'Role' | 'ClusterRole', roleName: doc.metadata.name ?? '', namespace: doc.metadata.namespace ?? '',
        index, rule, comment, unusedOk: marker, file,
      });
    });
  }
  return out;
}

function boundTo(binding: KubeObject, sa: { namespace: string; name: string }): boolean {
  const subjects = Array.isArray(binding['subjects']) ? binding['subjects'] as Array<Record<string, unknown>> : [];
  return subjects.some((s) => s['kind'] === 'ServiceAccount' && s['name'] === sa.name
    && (s['namespace'] ?? binding.metadata.namespace) === sa.namespace);
}

/**
 * The RBAC of `manifests/operators/<operator>`: kustomize output plus the commented source rules. `manifestsDir`
 * (default `manifests/` of this repository) lets one try edited rules on a copy of the folder first.
 */
export function loadOperatorRbac(operator: string, manifestsDir = join(repoRoot, 'manifests')): OperatorRbac {
  const dir = join(manifestsDir, 'operators', operator);
  const built = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  const objects = (yaml.loadAll(built) as Array<KubeObject | null>).filter((o): o is KubeObject => !!o && INSTALLED.has(o.kind));
  const accounts = objects.filter((o) => o.kind === 'ServiceAccount');
  if (accounts.length !== 1) throw new Error(`${operator}: expected one ServiceAccount, found ${accounts.length}`);
  const serviceAccount = { namespace: accounts[0]?.metadata.namespace ?? '', name: accounts[0]?.metadata.name ?? '' };
  const sources = yamlFiles(dir).flatMap((f) => commentedRules(readFileSync(f, 'utf8'), relative(repoRoot, f)));
  const rules: ManifestRule[] = [];
  for (const binding of objects.filter((o) => (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && boundTo(o, serviceAccount))) {
    const ref = binding['roleRef'] as { kind: string; name: string };
    const namespace = ref.kind === 'Role' ? binding.metadata.namespace ?? '' : '';
    const role = objects.find((o) => o.kind === ref.kind && o.metadata.name === ref.name && (o.metadata.namespace ?? '') === namespace);
    if (!role) throw new Error(`${operator}: ${binding.kind} ${binding.metadata.name ?? ''} refers to ${ref.kind} ${ref.name}, which the kustomization does not install`);
    const commented = sources.filter((r) => r.roleKind === ref.kind && r.roleName === ref.name && r.namespace === namespace);
    const built = rulesOf(role);
    if (JSON.stringify(commented.map((r) => r.rule)) !== JSON.stringify(built)) {
      throw new Error(`${operator}: the rules of ${ref.kind} ${ref.name} in the kustomize output differ from its source file`);
    }
    rules.push(...commented);
  }
  const username = `system:serviceaccount:${serviceAccount.namespace}:${serviceAccount.name}`;
  return { operator, serviceAccount, username, objects, rules };
}
