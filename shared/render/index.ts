/** Templates and kustomize-like helpers that build object lists in process (DESIGN section 5). */
export { renderTemplate, renderDir, clearTemplateCache } from './template.ts';
export { secretLiteral, patch, mergePatch, kustomList, clusterScopedKinds } from './kustomize.ts';
export type { SecretLiteralOptions, PatchTarget, KustomOptions } from './kustomize.ts';
export { RenderError } from './errors.ts';
