/** The component operator skeleton: define observe/desired/status, get a Reconciler. */
export * from './types.ts';
export { componentReconciler, finalizerOf } from './reconciler.ts';
export { statusObject, eventPhaseOf } from './status-object.ts';
export { crInputs } from './desired-memo.ts';
