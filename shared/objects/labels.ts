/** The Nimbus label conventions (DESIGN section 8). */

export const tenantLabel = 'nimbus.dev/tenant';

export interface LabelInput {
  /** `app.kubernetes.io/name`, e.g. `couchdb` */
  app: string;
  /** `app.kubernetes.io/instance`: the CR name */
  instance: string;
  /** `app.kubernetes.io/component`, e.g. `database`, `init` */
  component: string;
  /** The operator, e.g. `couchdb` → `app.kubernetes.io/managed-by: nimbus-couchdb` */
  operator: string;
  /** The tenant this object belongs to, when it does. */
  tenant?: string | undefined;
}

/** The standard label set for an object an operator creates. */
export function nimbusLabels(input: LabelInput): Record<string, string> {
  const labels: Record<string, string> = {
    'app.kubernetes.io/name': input.app,
    'app.kubernetes.io/instance': input.instance,
    'app.kubernetes.io/component': input.component,
    'app.kubernetes.io/part-of': 'nimbus',
    'app.kubernetes.io/managed-by': `nimbus-${input.operator}`,
  };
  if (input.tenant) labels[tenantLabel] = input.tenant;
  return labels;
}

/** The labels that select the pods of one component instance (stable: never change them on a live StatefulSet). */
export function selectorLabels(app: string, instance: string): Record<string, string> {
  return { 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': instance };
}

/** The tenant an object belongs to, read from its labels. */
export function tenantOf(object: { metadata: { labels?: Record<string, string> } }): string | undefined {
  return object.metadata.labels?.[tenantLabel];
}
