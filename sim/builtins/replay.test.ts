/**
 * The recorded cases of the built-in kinds (and RBAC) replayed over HTTP against a whole sim, with the simulated
 * kubelet running and this repository's authorizer and TokenRequest handler plugged in.
 */
import { startApiServer } from '#sim/index.ts';
import type { ApiServer, Authorizer } from '#sim/index.ts';
import { createRbacAuthorizer } from '#sim/auth/index.ts';
import { tokenSubresourceHandler } from './index.ts';
import { replayCase } from './replay.test-support.ts';

const cases = ['deployment-defaults', 'statefulset-defaults-status', 'job-defaults-status', 'service-crud-defaults', 'secret-crud',
  'pvc-create-delete', 'namespace-create-duplicate-get', 'configmap-invalid-name', 'serviceaccount-crud', 'event-core-v1-crud',
  'lease-leader-election', 'rbac-clusterrole-binding', 'rbac-role-binding-sa-token'];

describe('builtins: recorded cases over HTTP', () => {
  let server: ApiServer;
  before(async () => {
    let authorizer: Authorizer | undefined;
    server = await startApiServer({
      quiet: true,
      authorizer: (req, attrs) => authorizer?.(req, attrs),
      subresources: { '/serviceaccounts/token': tokenSubresourceHandler() },
      onStart: (store) => { authorizer = createRbacAuthorizer(store.api); },
    });
  });
  after(async () => server.stop());

  for (const name of cases) it(name, async () => replayCase(server.url, name));
});
