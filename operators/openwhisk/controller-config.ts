/**
 * The controller's `CONFIG_whisk_*` environment: OpenWhisk reads its whole configuration (Typesafe config) from
 * variables named after the config path. Lean mode, the Kubernetes container factory, CouchDB, and the spec's limits.
 */
import { databasePrefixOf, openwhiskNames } from './names.ts';
import { databaseNames } from './init-script.ts';
import type { CouchDBAccess } from './couchdb-access.ts';
import { apiPort, defaultLimits, type OpenWhisk } from './types.ts';

export interface EnvVar { name: string; value: string }

/** The spec's limits with the defaults filled in. */
export function limitsOf(cr: OpenWhisk): typeof defaultLimits {
  return { ...defaultLimits, ...(cr.spec?.limits ?? {}) };
}

/** Every `CONFIG_*` variable (except the CouchDB credentials, which come from a Secret), in a stable order. */
export function controllerConfig(cr: OpenWhisk, access: CouchDBAccess): EnvVar[] {
  const limits = limitsOf(cr);
  const dbs = databaseNames(databasePrefixOf(cr));
  const namespace = cr.metadata.namespace ?? 'default';
  const memoryStd = Math.min(256, limits.actionMemoryMax);
  const timeoutStd = Math.min(60, limits.actionTimeoutMax);
  const vars: Array<[string, string]> = [
    ['CONFIG_whisk_info_date', '2024-01-01'],
    ['CONFIG_whisk_info_buildNo', 'nimbus'],
    // lean mode: no Kafka, no separate invoker; actions become pods in this namespace
    ['CONFIG_whisk_spi_MessagingProvider', 'org.apache.openwhisk.connector.lean.LeanMessagingProvider'],
    ['CONFIG_whisk_spi_LoadBalancerProvider', 'org.apache.openwhisk.core.loadBalancer.LeanBalancer'],
    ['CONFIG_whisk_spi_ArtifactStoreProvider', 'org.apache.openwhisk.core.database.CouchDbStoreProvider'],
    ['CONFIG_whisk_spi_ContainerFactoryProvider', 'org.apache.openwhisk.core.containerpool.kubernetes.KubernetesContainerFactoryProvider'],
    ['CONFIG_whisk_spi_LogStoreProvider', 'org.apache.openwhisk.core.containerpool.logging.DockerToActivationLogStoreProvider'],
    ['CONFIG_whisk_controller_protocol', 'http'],
    ['CONFIG_whisk_controller_interface', '0.0.0.0'],
    ['CONFIG_whisk_kubernetes_actionNamespace', namespace],
    ['CONFIG_whisk_kubernetes_timeouts_run', '10 minutes'],
    ['CONFIG_whisk_kubernetes_timeouts_logs', '1 minute'],
    ['CONFIG_whisk_kubernetes_userPodNodeAffinity_enabled', 'false'],
    ['CONFIG_whisk_kubernetes_portForwardingEnabled', 'false'],
    ['CONFIG_whisk_helm_release', cr.metadata.name ?? ''],
    ['CONFIG_kamon_modules_statsdReporter_enabled', 'false'],
    // CouchDB (credentials come from the Secret, see the template)
    ['CONFIG_whisk_couchdb_provider', 'CouchDB'],
    ['CONFIG_whisk_couchdb_protocol', access.protocol],
    ['CONFIG_whisk_couchdb_host', access.host],
    ['CONFIG_whisk_couchdb_port', String(access.port)],
    ['CONFIG_whisk_couchdb_databases_WhiskAuth', dbs.subjects],
    ['CONFIG_whisk_couchdb_databases_WhiskEntity', dbs.whisks],
    ['CONFIG_whisk_couchdb_databases_WhiskActivation', dbs.activations],
    // per-action limits from spec.limits
    ['CONFIG_whisk_memory_min', '128 m'],
    ['CONFIG_whisk_memory_std', `${memoryStd} m`],
    ['CONFIG_whisk_memory_max', `${limits.actionMemoryMax} m`],
    ['CONFIG_whisk_timeLimit_min', '100 ms'],
    ['CONFIG_whisk_timeLimit_std', `${timeoutStd} s`],
    ['CONFIG_whisk_timeLimit_max', `${limits.actionTimeoutMax} s`],
    ['CONFIG_whisk_concurrencyLimit_min', '1'],
    ['CONFIG_whisk_concurrencyLimit_std', '1'],
    ['CONFIG_whisk_concurrencyLimit_max', '1'],
    ['CONFIG_whisk_logLimit_min', '0 m'],
    ['CONFIG_whisk_logLimit_std', '10 m'],
    ['CONFIG_whisk_logLimit_max', '10 m'],
    ['CONFIG_whisk_activation_payload_max', '1048576'],
    // where actions reach the API (the Service, not the pod)
    ['WHISK_API_HOST_PROTO', 'http'],
    ['WHISK_API_HOST_NAME', `${openwhiskNames(cr).controller}.${namespace}.svc`],
    ['WHISK_API_HOST_PORT', String(apiPort)],
  ];
  return vars.map(([name, value]) => ({ name, value }));
}
