/** Parses a request path into what it addresses: discovery documents or a resource (collection/object/subresource). */

export type Route =
  | { type: 'version' }
  | { type: 'apiVersions' }
  | { type: 'groupList' }
  | { type: 'group'; group: string }
  | { type: 'resourceList'; group: string; version: string }
  | { type: 'resource'; group: string; version: string; namespace: string | undefined; plural: string; name: string | undefined; subresource: string | undefined }
  | { type: 'openapi'; version: 'v2' | 'v3'; rest: string }
  | { type: 'health' }
  | { type: 'unknown' };

/** Splits the resource part of a path (after `/api/v1` or `/apis/<g>/<v>`). */
function resourceRoute(group: string, version: string, seg: string[]): Route {
  if (seg.length === 0) return { type: 'resourceList', group, version };
  let namespace: string | undefined;
  let rest = seg;
  if (seg[0] === 'namespaces' && seg.length >= 3 && seg[2] !== 'status' && seg[2] !== 'finalize') {
    namespace = seg[1];
    rest = seg.slice(2);
  }
  if (rest.length > 3) return { type: 'unknown' };
  return { type: 'resource', group, version, namespace, plural: rest[0]!, name: rest[1], subresource: rest[2] };
}

/** The route of a URL path (already split from the query). */
export function parseRoute(pathname: string): Route {
  const seg: string[] = [];
  // decodeURIComponent only where there is something to decode (it throws on a malformed escape, as before).
  for (const s of pathname.split('/')) if (s !== '') seg.push(s.includes('%') ? decodeURIComponent(s) : s);
  const [a, b, c] = seg;
  if (a === 'version' && seg.length === 1) return { type: 'version' };
  if ((a === 'healthz' || a === 'readyz' || a === 'livez') && seg.length === 1) return { type: 'health' };
  if (a === 'openapi' && (b === 'v2' || b === 'v3')) return { type: 'openapi', version: b, rest: seg.slice(2).join('/') };
  if (a === 'api') {
    if (seg.length === 1) return { type: 'apiVersions' };
    return resourceRoute('', b!, seg.slice(2));
  }
  if (a === 'apis') {
    if (seg.length === 1) return { type: 'groupList' };
    if (seg.length === 2) return { type: 'group', group: b! };
    return resourceRoute(b!, c!, seg.slice(3));
  }
  return { type: 'unknown' };
}
