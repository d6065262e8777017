/**
 * HTTP method → RBAC verb, as the real RequestInfo resolver does it.
 */

/** The verb of a resource request: GET on a collection is `list` (or `watch` with `watch=1`), DELETE on one `deletecollection`. */
export function requestVerb(method: string, hasName: boolean, isWatch: boolean): string {
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
      if (isWatch) return 'watch';
      return hasName ? 'get' : 'list';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return hasName ? 'delete' : 'deletecollection';
    default: return method.toLowerCase();
  }
}
