/**
 * The onboarding step graph, as data, and the pure functions that walk it: which steps are enabled, which may run
 * now (every dependency Ready or Skipped), and in which order to delete. The reconciler owns no other workflow
 * state: the step states come from the Tenant's status, recomputed from the children on every reconcile.
 */
import type { BlockName, StepName, StepState, TenantSpec } from './types.ts';

export interface StepDef {
  name: StepName;
  /** Steps that must be Ready (or Skipped) before this one runs. */
  needs: readonly StepName[];
  /** The spec block whose `enabled` switches this step, if any. */
  block?: BlockName;
}

export type StepGraph = readonly StepDef[];

/** `namespace → {couchdb, nats} → openwhisk (needs couchdb) → credentials`. */
export const tenantGraph: StepGraph = [
  { name: 'namespace', needs: [] },
  { name: 'couchdb', needs: ['namespace'], block: 'couchdb' },
  { name: 'nats', needs: ['namespace'], block: 'nats' },
  { name: 'openwhisk', needs: ['namespace', 'couchdb'], block: 'openwhisk' },
  { name: 'credentials', needs: ['namespace', 'couchdb', 'nats', 'openwhisk'] },
];

export class GraphCycleError extends Error {
  override name = 'GraphCycleError';
}

/**
 * The steps in dependency order (Kahn's algorithm, ties kept in declaration order). Throws GraphCycleError naming
 * the steps on a cycle, and on a dependency that is not a step.
 */
export function topologicalOrder(graph: StepGraph): StepName[] {
  const names = new Set(graph.map((s) => s.name));
  for (const step of graph) {
    for (const need of step.needs) {
      if (!names.has(need)) throw new GraphCycleError(`step ${step.name} needs ${need}, which is not a step`);
    }
  }
  const order: StepName[] = [];
  const placed = new Set<StepName>();
  while (order.length < graph.length) {
    const next = graph.find((s) => !placed.has(s.name) && s.needs.every((n) => placed.has(n)));
    if (!next) {
      const stuck = graph.filter((s) => !placed.has(s.name)).map((s) => s.name);
      throw new GraphCycleError(`the step graph has a cycle among: ${stuck.join(', ')}`);
    }
    order.push(next.name);
    placed.add(next.name);
  }
  return order;
}

/** Throws GraphCycleError when the graph is not a DAG over its own steps. */
export function assertAcyclic(graph: StepGraph): void {
  topologicalOrder(graph);
}

/** Deletion order: reverse topological (dependents before what they depend on; the namespace last). */
export function deletionOrder(graph: StepGraph): StepName[] {
  return topologicalOrder(graph).reverse();
}

/** Why a step is skipped for this spec, or undefined when it runs. */
export function skipReason(spec: TenantSpec | undefined, step: StepName): string | undefined {
  const def = tenantGraph.find((s) => s.name === step);
  if (!def?.block) return undefined;
  if (spec?.[def.block]?.enabled === false) return `disabled (spec.${def.block}.enabled is false)`;
  if (step === 'openwhisk' && spec?.couchdb?.enabled === false && !spec.openwhisk?.couchdb?.url) {
    return 'skipped: OpenWhisk needs a CouchDB and spec.couchdb.enabled is false; set spec.openwhisk.couchdb.url (and secretRef) to use an external one';
  }
  return undefined;
}

/** The steps this spec runs, in dependency order. */
export function enabledSteps(spec: TenantSpec | undefined, graph: StepGraph = tenantGraph): StepName[] {
  return topologicalOrder(graph).filter((step) => skipReason(spec, step) === undefined);
}

/** Steps whose dependencies are all satisfied (Ready or Skipped); a Skipped step satisfies but never runs. */
export function runnableSteps(graph: StepGraph, states: Readonly<Partial<Record<StepName, StepState>>>): StepName[] {
  const satisfied = (name: StepName): boolean => states[name] === 'Ready' || states[name] === 'Skipped';
  return topologicalOrder(graph).filter((name) => {
    if (states[name] === 'Skipped') return false;
    const def = graph.find((s) => s.name === name);
    return def !== undefined && def.needs.every(satisfied);
  });
}

/** Steps that may be deleted now: present ones that no present step depends on. */
export function deletableSteps(graph: StepGraph, present: ReadonlySet<StepName>): StepName[] {
  return deletionOrder(graph).filter(
    (name) => present.has(name) && !graph.some((s) => present.has(s.name) && s.needs.includes(name)),
  );
}
