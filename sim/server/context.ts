/** What the request handlers share: the API, the watch hub, faults and the hooks others plug in. */
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '#shared/kube/types.ts';
import type { StatusBody } from '#sim/types.ts';
import type { Api } from '#sim/store/api.ts';
import type { Served } from '#sim/resources/registry.ts';
import type { WatchHub } from '#sim/server/watch.ts';
import type { Faults } from '#sim/faults/index.ts';

/** The request as an authorizer sees it (the attributes of a Kubernetes authorization check). */
export interface RequestAttributes {
  /** get, list, watch, create, update, patch, delete, deletecollection */
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  path: string;
}

/** Answers a Status (401/403) to refuse the request, or undefined to let it through. */
export type Authorizer = (req: IncomingMessage, attrs: RequestAttributes) => StatusBody | undefined;

/** Handles a POST to a subresource such as `serviceaccounts/token`. May throw StatusError. */
export type SubresourceHandler = (args: {
  req: IncomingMessage; body: string; served: Served; namespace: string | undefined; name: string; api: Api;
}) => { code: number; body: unknown } | Promise<{ code: number; body: unknown }>;

export interface ServerContext {
  api: Api;
  hub: WatchHub;
  faults: Faults;
  bookmarkIntervalMs: number;
  authorizer: Authorizer | undefined;
  /**
   * RBAC privilege-escalation check of a Role/ClusterRole/(Cluster)RoleBinding write by the request's user: the 403
   * body when the user grants permissions it does not hold. Undefined when RBAC is off.
   */
  escalation: ((req: IncomingMessage, obj: KubeObject) => StatusBody | undefined) | undefined;
  /** Keyed `group/plural/subresource`, e.g. `/serviceaccounts/token`. */
  subresources: Map<string, SubresourceHandler>;
}
