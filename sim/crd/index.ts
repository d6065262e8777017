/**
 * CustomResourceDefinition semantics of the embedded API server: CRD validation and defaults, and admission
 * (prune, default, validate incl. CEL) and Table printing of custom resources.
 */
export { checkCrd } from './check-crd.ts';
export { crdDefaults, initialCrdStatus, establishedCrdStatus } from './crd-defaults.ts';
export { admitCustomResource } from './admit.ts';
export { invalidMessage } from './messages.ts';
export { toTable } from './table.ts';
export type { Table, TableColumn, TableOptions } from './table.ts';
export type { JsonSchema, ValidationRule } from './schema.ts';
