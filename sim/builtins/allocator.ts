/**
 * ClusterIP and NodePort allocation for Services. State lives in one instance per sim (one fresh "cluster" each),
 * like the real server's bitmap allocators; the store releases what a deleted Service held.
 */
import { StatusError } from '#sim/types.ts';

function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** True for a dotted IPv4 address. */
export function isIPv4(value: string): boolean {
  return ipToInt(value) !== undefined;
}

function rangeFull(what: string): StatusError {
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 500, reason: 'InternalError',
    message: `Internal error occurred: failed to allocate a ${what}: range is full`,
  });
}

/** Why an explicit IP cannot be taken, or undefined when it was reserved. */
export type ReserveResult = undefined | 'not-in-range' | 'allocated';

/** Allocates addresses of one IPv4 CIDR, skipping the network, broadcast and first (kubernetes Service) address. */
export class ClusterIPAllocator {
  readonly cidr: string;
  private readonly first: number;
  private readonly size: number;
  private readonly used = new Set<number>();

  constructor(cidr: string) {
    const [base, bitsText] = cidr.split('/');
    const start = ipToInt(base ?? '');
    const bits = Number(bitsText);
    if (start === undefined || !Number.isInteger(bits) || bits < 8 || bits > 30) throw new Error(`invalid service CIDR ${cidr}`);
    this.cidr = cidr;
    this.size = 2 ** (32 - bits);
    this.first = start - (start % this.size);
  }

  /** A free address, chosen at random as the real allocator does (so nothing depends on the order). */
  allocate(): string {
    const usable = this.size - 3;
    if (this.used.size >= usable) throw rangeFull('serviceIP');
    let offset = 2 + Math.floor(Math.random() * usable);
    while (this.used.has(offset)) offset = offset + 1 >= this.size - 1 ? 2 : offset + 1;
    this.used.add(offset);
    return intToIp(this.first + offset);
  }

  /** Takes an address the client asked for. */
  reserve(ip: string): ReserveResult {
    const n = ipToInt(ip);
    if (n === undefined || n <= this.first || n >= this.first + this.size - 1) return 'not-in-range';
    const offset = n - this.first;
    if (this.used.has(offset)) return 'allocated';
    this.used.add(offset);
    return undefined;
  }

  /** Frees an address (unknown or foreign addresses are ignored). */
  release(ip: string): void {
    const n = ipToInt(ip);
    if (n !== undefined) this.used.delete(n - this.first);
  }
}

/** Allocates NodePorts from 30000-32767. */
export class NodePortAllocator {
  private readonly used = new Set<number>();
  static readonly min = 30000;
  static readonly max = 32767;

  allocate(): number {
    const span = NodePortAllocator.max - NodePortAllocator.min + 1;
    if (this.used.size >= span) throw rangeFull('nodePort');
    let port = NodePortAllocator.min + Math.floor(Math.random() * span);
    while (this.used.has(port)) port = port >= NodePortAllocator.max ? NodePortAllocator.min : port + 1;
    this.used.add(port);
    return port;
  }

  /** Takes a requested port; false when taken or out of range. */
  reserve(port: number): boolean {
    if (port < NodePortAllocator.min || port > NodePortAllocator.max || this.used.has(port)) return false;
    this.used.add(port);
    return true;
  }

  release(port: number): void {
    this.used.delete(port);
  }
}
