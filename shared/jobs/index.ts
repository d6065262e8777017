/** One-shot Jobs named after their inputs: their state, and deleting the superseded ones. */
export { jobState, type JobState } from './state.ts';
export { labelSelectorOf, pruneSupersededJobs, type SupersededJobs } from './prune.ts';
