/** Object conventions shared by every operator: names, labels, owner references, conditions. */
export * from './naming.ts';
export * from './labels.ts';
export * from './owner.ts';
export * from './conditions.ts';
