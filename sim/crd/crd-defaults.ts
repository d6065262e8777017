/**
 * Server defaults of the CustomResourceDefinition object itself (apiextensions v1 `SetDefaults_*` and the
 * registry strategy), and the status the naming/establishing controllers write.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import { cloneJson, crdVersions, isPlainObject } from './schema.ts';

/** The stored status of a freshly created CRD: no conditions yet, empty accepted names, the storage version. */
export function initialCrdStatus(crd: KubeObject): Record<string, unknown> {
  const storage = crdVersions(crd).find((v) => v['storage'] === true);
  return {
    conditions: null,
    acceptedNames: { plural: '', kind: '' },
    storedVersions: storage && typeof storage['name'] === 'string' ? [storage['name']] : [],
  };
}

/**
 * Fills the server defaults: `names.singular` (lower-case kind), `names.listKind` (`<Kind>List`),
 * `conversion: {strategy: None}` (a webhook service port 443), and a status with `storedVersions` when absent.
 */
export function crdDefaults(crd: KubeObject): KubeObject {
  const out = cloneJson(crd);
  const spec = isPlainObject(out['spec']) ? out['spec'] : (out['spec'] = {});
  const names = isPlainObject(spec['names']) ? spec['names'] : (spec['names'] = {});
  const kind = typeof names['kind'] === 'string' ? names['kind'] : '';
  if (!names['singular']) names['singular'] = kind.toLowerCase();
  if (!names['listKind'] && kind) names['listKind'] = `${kind}List`;
  if (!isPlainObject(spec['conversion'])) spec['conversion'] = { strategy: 'None' };
  const conversion = spec['conversion'] as Record<string, unknown>;
  const webhook = conversion['webhook'];
  if (isPlainObject(webhook) && isPlainObject(webhook['clientConfig'])) {
    const service = webhook['clientConfig']['service'];
    if (isPlainObject(service) && service['port'] === undefined) service['port'] = 443;
  }
  if (!isPlainObject(out['status'])) out['status'] = initialCrdStatus(out);
  else {
    const status = out['status'];
    const stored = Array.isArray(status['storedVersions']) ? (status['storedVersions'] as unknown[]) : [];
    if (stored.length === 0) status['storedVersions'] = initialCrdStatus(out)['storedVersions'];
  }
  return out;
}

/**
 * The status once the names are accepted and the CRD established (what the real controllers write within a
 * moment of the create): conditions NamesAccepted and Established, acceptedNames = spec.names.
 * Conditions already True keep their lastTransitionTime.
 */
export function establishedCrdStatus(crd: KubeObject, nowIso: string): Record<string, unknown> {
  const d = crdDefaults(crd);
  const spec = d['spec'] as Record<string, unknown>;
  const status = d['status'] as Record<string, unknown>;
  const prev = Array.isArray(status['conditions']) ? (status['conditions'] as unknown[]).filter(isPlainObject) : [];
  const since = (type: string): string => {
    const c = prev.find((x) => x['type'] === type && x['status'] === 'True');
    return c && typeof c['lastTransitionTime'] === 'string' ? c['lastTransitionTime'] : nowIso;
  };
  return {
    ...status,
    conditions: [
      { type: 'NamesAccepted', status: 'True', lastTransitionTime: since('NamesAccepted'), reason: 'NoConflicts', message: 'no conflicts found' },
      { type: 'Established', status: 'True', lastTransitionTime: since('Established'), reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
    ],
    acceptedNames: cloneJson(spec['names']),
  };
}
