/** Generated identifiers and timestamps of stored objects. */
import { randomUUID, randomInt } from 'node:crypto';

/** The characters Kubernetes uses for generated name suffixes (no vowels, no confusable digits). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** A 5-character suffix for `generateName`. */
export function nameSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += ALPHANUMS[randomInt(ALPHANUMS.length)];
  return s;
}

export function newUid(): string {
  return randomUUID();
}

/** RFC 3339 time with second precision, as metav1.Time serializes. */
export function nowTime(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}
