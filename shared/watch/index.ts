/** List-then-watch informers with an in-memory cache. */
export { createInformer } from './informer.ts';
export type { Informer, InformerEventType, InformerOptions } from './informer.ts';
export type { CacheFilter, ObjectCache } from './cache.ts';
export { compileLabelSelector } from './selector.ts';
export { digestOf, transformByKind, trimmedDigests, trimmedField, trimPaths, trimPodTemplates } from './transform.ts';
export type { FieldPath, ObjectTransform } from './transform.ts';
