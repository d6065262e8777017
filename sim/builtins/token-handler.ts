/**
 * `POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token` in the shape the HTTP layer plugs in
 * (`SubresourceHandler` of sim/server/context.ts): 404 when the ServiceAccount is missing, else 201 TokenRequest.
 */
import type { SubresourceHandler } from '#sim/server/context.ts';
import { StatusError } from '#sim/types.ts';
import type { TokenAuthority } from '#sim/auth/tokens.ts';
import { issueToken, parseTokenRequest } from './token.ts';

function badRequest(message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
}

/** The TokenRequest handler, minting with `authority` (default: the process-wide one). */
export function tokenSubresourceHandler(authority?: TokenAuthority): SubresourceHandler {
  return ({ body, served, namespace, name, api }) => {
    const sa = api.get(served, namespace, name);
    let parsed: unknown = {};
    if (body.trim() !== '') {
      try {
        parsed = JSON.parse(body);
      } catch {
        throw badRequest('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
      }
    }
    const request = parseTokenRequest(parsed);
    const token = issueToken(sa, namespace ?? '', request.expirationSeconds, {
      ...(authority ? { authority } : {}),
      ...(request.audiences ? { audiences: request.audiences } : {}),
      ...(request.boundObjectRef !== undefined ? { boundObjectRef: request.boundObjectRef } : {}),
    });
    return { code: 201, body: token };
  };
}
