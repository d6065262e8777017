/**
 * A fresh embedded API server configured like the recording cluster: no kubelet (nothing becomes ready or Bound by
 * itself), RBAC on (the sim's authorizer, requests without a token are the admin), the TokenRequest subresource.
 *
 * Everything is loaded through import() on purpose: mocha require()s spec files (Node 20 require(esm)), while the
 * sim import()s sim/patch and its admission code; a static import would give those a second copy of sim/types.ts,
 * whose StatusError then fails `instanceof` in the router (it answers 500 instead of the Status).
 */
import type { ApiServer, Authorizer, startApiServer as StartApiServer } from '#sim/index.ts';
import type { createRbacAuthorizer as CreateRbacAuthorizer } from '#sim/auth/index.ts';
import type { tokenSubresourceHandler as TokenSubresourceHandler } from '#sim/builtins/index.ts';

async function load<T>(spec: string): Promise<T> {
  return (await import(spec)) as T;
}

/** Start the sim for a conformance run; stop it with `server.stop()`. */
export async function startConformanceSim(): Promise<ApiServer> {
  const { startApiServer } = await load<{ startApiServer: typeof StartApiServer }>('#sim/index.ts');
  const { createRbacAuthorizer } = await load<{ createRbacAuthorizer: typeof CreateRbacAuthorizer }>('#sim/auth/index.ts');
  const { tokenSubresourceHandler } = await load<{ tokenSubresourceHandler: typeof TokenSubresourceHandler }>('#sim/builtins/index.ts');
  let authorizer: Authorizer | undefined;
  return startApiServer({
    quiet: true,
    kubelet: false,
    authorizer: (req, attrs) => authorizer?.(req, attrs),
    subresources: { '/serviceaccounts/token': tokenSubresourceHandler() },
    onStart: (store) => {
      authorizer = createRbacAuthorizer(store.api);
    },
  });
}
