/** Resolves a NatsCluster spec: defaults applied, the default user merged in, invalid combinations refused. */
import { TerminalError } from '#shared/errors/index.ts';
import { tenantOf } from '#shared/objects/index.ts';
import {
  defaultMonitoringPort,
  defaultNatsImage,
  type NatsCluster,
  type NatsUser,
  type ResolvedNatsSpec,
  type UserPermissions,
} from './types.ts';

/**
 * The subjects the default user may use: its own prefix and reply inboxes, in both directions. With JetStream on it
 * may also call the JetStream API (`$JS.API.>`) and ack messages (`$JS.ACK.>`): the server is the tenant's own, so its
 * streams are the tenant's too.
 */
export function defaultPermissions(prefix: string, jetstream = false): Required<UserPermissions> {
  const publish = [`${prefix}.>`, '_INBOX.>', ...(jetstream ? ['$JS.API.>', '$JS.ACK.>'] : [])];
  const subscribe = [`${prefix}.>`, '_INBOX.>'];
  return { publish: { allow: publish }, subscribe: { allow: subscribe } };
}

/** The default user's name and subject prefix: the tenant the object belongs to, else the CR name. */
export function defaultUserName(cr: NatsCluster): string {
  return tenantOf(cr) ?? cr.metadata.name ?? '';
}

/**
 * The spec with defaults applied (the same defaults the CRD declares). Throws TerminalError(InvalidSpec) for what
 * the CRD's CEL rules would refuse, so objects that bypass the API server fail the same way.
 */
export function resolveSpec(cr: NatsCluster): ResolvedNatsSpec {
  const spec = cr.spec ?? {};
  const prefix = defaultUserName(cr);
  const replicas = spec.replicas ?? 1;
  if (replicas === 2 || replicas < 1) {
    throw new TerminalError(`spec.replicas is ${replicas}: use 1, or 3 or more for a cluster with routes`, {
      reason: 'InvalidSpec',
    });
  }
  const js = spec.jetstream ?? {};
  const jetstream = js.enabled ?? true;
  const users: Required<NatsUser>[] = [{ name: prefix, permissions: defaultPermissions(prefix, jetstream) }];
  for (const user of spec.users ?? []) {
    const resolved = { name: user.name, permissions: user.permissions ?? defaultPermissions(prefix, jetstream) };
    const index = users.findIndex((u) => u.name === user.name);
    if (index >= 0) users[index] = resolved;
    else users.push(resolved);
  }
  return {
    replicas,
    image: spec.image ?? defaultNatsImage,
    jetstream: {
      enabled: jetstream,
      storageSize: js.storage?.size ?? '1Gi',
      ...(js.storage?.storageClassName ? { storageClassName: js.storage.storageClassName } : {}),
      retainOnDelete: js.storage?.retainOnDelete ?? false,
      memory: js.memory ?? '256Mi',
    },
    users,
    monitoringPort: spec.monitoring?.port ?? defaultMonitoringPort,
    ...(spec.resources ? { resources: spec.resources } : {}),
    prefix,
  };
}
