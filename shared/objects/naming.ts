/** Child object names: `<cr-name>-<role>`, kept within Kubernetes' 63-character limit by a stable hash suffix. */
import { createHash } from 'node:crypto';

/** The longest name a label value, a Service or a StatefulSet pod's hostname may have. */
export const maxNameLength = 63;

/** 8 hex characters of sha256 over `input`: a stable suffix (long names, changed Job inputs, config hashes). */
export function shortHash(input: string): string {
  return createHash('sha256').update(input).digest('hex').slice(0, 8);
}

/**
 * `<crName>-<role>`, or when that is longer than `maxLength`, a prefix of it plus `-<8 hex of sha256>` so that two
 * long names never collide and the same input always gives the same name.
 */
export function childName(crName: string, role: string, maxLength = maxNameLength): string {
  const full = role ? `${crName}-${role}` : crName;
  if (full.length <= maxLength) return full;
  const hash = shortHash(full);
  const prefix = full.slice(0, maxLength - hash.length - 1).replace(/[-.]+$/, '');
  return `${prefix}-${hash}`;
}
