/**
 * RBAC enforcement as a plug-in for `startApiServer` that also records every decision:
 *
 *   const rbac = rbacEnforcement();
 *   const sim = await startApiServer({ ...rbac.serverOptions, crdDir });
 *   … rbac.log.denied() …
 *
 * Compared with the server's default RBAC it adds the write-time checks of `write-checks.ts` (apply-create,
 * escalation prevention with every checked permission logged, optionally owner references) and the decision log
 * least-privilege tests read. `serverOptions` turns the server's own RBAC off (`rbac: false`) and plugs this one in,
 * so no refusal escapes the log.
 */
import type { Authorizer } from '#sim/server/context.ts';
import type { StoreClient } from '#sim/store/client.ts';
import { AuthorizationLog } from './audit.ts';
import { createRbacAuthorizer, storeRbacLister } from './wiring.ts';
import type { RbacAuthorizerOptions } from './wiring.ts';
import { installWriteChecks } from './write-checks.ts';

/** Options of `rbacEnforcement`. */
export interface RbacEnforcementOptions extends Omit<RbacAuthorizerOptions, 'log'> {
  /** Enforce the OwnerReferencesPermissionEnforcement admission plugin (default false, as kube-apiserver). */
  ownerReferencesPermissionEnforcement?: boolean;
}

/** What `startApiServer` needs (`authorizer`, `onStart`) and the decision log. */
export interface RbacEnforcement {
  authorizer: Authorizer;
  onStart: (store: StoreClient) => () => void;
  /** `{ rbac: false, authorizer, onStart }`: spread into the options of `startApiServer`. */
  serverOptions: { rbac: false; authorizer: Authorizer; onStart: (store: StoreClient) => () => void };
  log: AuthorizationLog;
}

/** RBAC enforcement with a decision log; pass `authorizer` and `onStart` to `startApiServer`. */
export function rbacEnforcement(options: RbacEnforcementOptions = {}): RbacEnforcement {
  const log = new AuthorizationLog();
  const { ownerReferencesPermissionEnforcement = false, ...authorizerOptions } = options;
  let inner: Authorizer | undefined;
  // Until the store exists (onStart), nothing is served, so the late binding never lets a request through.
  const authorizer: Authorizer = (req, attrs) => {
    if (!inner) throw new Error('rbacEnforcement: onStart was not called');
    return inner(req, attrs);
  };
  const onStart = (store: StoreClient): (() => void) => {
    const api = store.api;
    inner = createRbacAuthorizer(api, { ...authorizerOptions, log });
    return installWriteChecks(api, { lister: storeRbacLister(api), log, ownerReferencesPermissionEnforcement });
  };
  return { log, authorizer, onStart, serverOptions: { rbac: false, authorizer, onStart } };
}
