/** Kubernetes resource quantities (`1Gi`, `256M`, `500k`) as byte counts, for servers that want plain numbers. */
import { TerminalError } from '#shared/errors/index.ts';

const factors: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};

/** Bytes of a quantity such as `1Gi`; `field` names the spec field in the error when the value is not a size. */
export function quantityBytes(quantity: string, field: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)([kMGTP]i?|Ki)?$/.exec(quantity.trim());
  const factor = match ? factors[match[2] ?? ''] : undefined;
  if (!match || factor === undefined) {
    throw new TerminalError(`${field} is "${quantity}": use a size such as 1Gi or 256Mi`, { reason: 'InvalidSpec' });
  }
  return Math.floor(Number(match[1]) * factor);
}
