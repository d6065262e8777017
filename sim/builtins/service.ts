/**
 * Service (core/v1): defaults, validation, and ClusterIP / NodePort allocation (kept on update, released on delete).
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { Cause } from '#sim/types.ts';
import { duplicate, forbidden, invalidValue, notSupported, required } from './causes.ts';
import { child, isObject, objects, setDefault } from './json.ts';
import type { JsonObject } from './json.ts';
import { labelErrors } from './names.ts';
import type { ClusterIPAllocator, NodePortAllocator } from './allocator.ts';
import { isIPv4 } from './allocator.ts';

const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const;
const protocols = ['SCTP', 'TCP', 'UDP'] as const;

function spec(obj: KubeObject): JsonObject {
  return child(obj, 'spec');
}

/** Service defaults (in place). Addresses are filled later, by `allocateService`. */
export function defaultService(obj: KubeObject): void {
  const s = spec(obj);
  setDefault(s, 'type', 'ClusterIP');
  setDefault(s, 'sessionAffinity', 'None');
  for (const port of objects(s.ports)) {
    setDefault(port, 'protocol', 'TCP');
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (s.type === 'ExternalName') return;
  if (s.type === 'NodePort' || s.type === 'LoadBalancer') setDefault(s, 'externalTrafficPolicy', 'Cluster');
  if (s.type === 'LoadBalancer') setDefault(s, 'allocateLoadBalancerNodePorts', true);
  setDefault(s, 'ipFamilies', ['IPv4']);
  setDefault(s, 'ipFamilyPolicy', 'SingleStack');
  setDefault(s, 'internalTrafficPolicy', 'Cluster');
}

function isHeadless(s: JsonObject): boolean {
  return s.clusterIP === 'None';
}

function validPortName(v: unknown): boolean {
  return typeof v === 'string' && v.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(v) && /[a-z]/.test(v) && !v.includes('--');
}

/** Service validation; `old` is the stored object on update. */
export function validateService(obj: KubeObject, old: KubeObject | undefined): Cause[] {
  const s = isObject(obj.spec) ? obj.spec : {};
  const causes: Cause[] = [];
  if (typeof s.type !== 'string' || !(types as readonly string[]).includes(s.type)) {
    causes.push(notSupported('spec.type', s.type ?? '', types));
  }
  const ports = objects(s.ports);
  if (ports.length === 0 && !isHeadless(s) && s.type !== 'ExternalName') causes.push(required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    if (ports.length > 1 && (typeof p.name !== 'string' || p.name === '')) causes.push(required(`${at}.name`));
    if (typeof p.name === 'string' && p.name !== '') {
      causes.push(...labelErrors(p.name).map((e) => invalidValue(`${at}.name`, p.name, e)));
      if (names.has(p.name)) causes.push(duplicate(`${at}.name`, p.name));
      names.add(p.name);
    }
    if (typeof p.port !== 'number' || !Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
      causes.push(invalidValue(`${at}.port`, p.port ?? 0, 'must be between 1 and 65535, inclusive'));
    }
    if (typeof p.protocol !== 'string' || !(protocols as readonly string[]).includes(p.protocol)) {
      causes.push(notSupported(`${at}.protocol`, p.protocol ?? '', protocols));
    }
    const tp = p.targetPort;
    if (typeof tp === 'number' ? (!Number.isInteger(tp) || tp < 1 || tp > 65535) : !validPortName(tp)) {
      causes.push(invalidValue(`${at}.targetPort`, tp ?? 0, typeof tp === 'number' ? 'must be between 1 and 65535, inclusive' : 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'));
    }
    if (p.nodePort !== undefined && s.type === 'ClusterIP') {
      causes.push(forbidden(`${at}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
    }
  });
  if (typeof s.clusterIP === 'string' && s.clusterIP !== '' && s.clusterIP !== 'None' && !isIPv4(s.clusterIP)) {
    causes.push(invalidValue('spec.clusterIPs[0]', s.clusterIP, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  }
  const oldIP = old && isObject(old.spec) ? old.spec.clusterIP : undefined;
  if (typeof oldIP === 'string' && oldIP !== '' && s.clusterIP !== oldIP && s.type !== 'ExternalName') {
    causes.push(invalidValue('spec.clusterIPs[0]', [s.clusterIP], 'may not change once set'));
  }
  return causes;
}

/** The allocators a Service draws from. */
export interface ServiceAllocators {
  clusterIPs: ClusterIPAllocator;
  nodePorts: NodePortAllocator;
}

/**
 * Fills `clusterIP`/`clusterIPs` and NodePorts: kept from `old` on update, allocated (or reserved when the client
 * named them) on create. Returns causes for addresses that cannot be had.
 */
export function allocateService(obj: KubeObject, old: KubeObject | undefined, alloc: ServiceAllocators): Cause[] {
  const s = spec(obj);
  const oldSpec = old && isObject(old.spec) ? old.spec : undefined;
  const causes: Cause[] = [];
  if (s.type !== 'ExternalName') {
    if ((s.clusterIP === undefined || s.clusterIP === '') && typeof oldSpec?.clusterIP === 'string') {
      s.clusterIP = oldSpec.clusterIP;
    } else if (s.clusterIP === undefined || s.clusterIP === '') {
      s.clusterIP = alloc.clusterIPs.allocate();
    } else if (!old && s.clusterIP !== 'None' && typeof s.clusterIP === 'string') {
      const result = alloc.clusterIPs.reserve(s.clusterIP);
      if (result) {
        const why = result === 'allocated' ? 'provided IP is already allocated'
          : `provided IP is not in the valid range. The range of valid IPs is ${alloc.clusterIPs.cidr}`;
        causes.push(invalidValue('spec.clusterIPs', [s.clusterIP], `failed to allocate IP ${s.clusterIP}: ${why}`));
      }
    }
    s.clusterIPs = [s.clusterIP];
  }
  if (s.type === 'NodePort' || s.type === 'LoadBalancer') {
    const oldPorts = objects(oldSpec?.ports);
    objects(s.ports).forEach((p, i) => {
      const previous = oldPorts.find((o) => o.port === p.port && o.protocol === p.protocol)?.nodePort;
      if (p.nodePort === undefined && typeof previous === 'number') p.nodePort = previous;
      else if (p.nodePort === undefined) p.nodePort = alloc.nodePorts.allocate();
      else if (typeof p.nodePort === 'number' && p.nodePort !== previous && !alloc.nodePorts.reserve(p.nodePort)) {
        causes.push(invalidValue(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated'));
      }
    });
  }
  return causes;
}

/** Frees what a Service held. */
export function releaseService(obj: KubeObject, alloc: ServiceAllocators): void {
  const s = isObject(obj.spec) ? obj.spec : {};
  if (typeof s.clusterIP === 'string' && s.clusterIP !== 'None') alloc.clusterIPs.release(s.clusterIP);
  for (const p of objects(s.ports)) if (typeof p.nodePort === 'number') alloc.nodePorts.release(p.nodePort);
}

/** The status a new Service starts with. */
export function initialServiceStatus(): JsonObject {
  return { loadBalancer: {} };
}
