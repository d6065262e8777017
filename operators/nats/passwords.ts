/**
 * User passwords: generated randomly, stored only in Secrets, and put into nats.conf as bcrypt hashes.
 * The bcrypt salt is derived from the user's identity and password, so the same password always gives the same hash:
 * the config (and its hash annotation) stays stable across reconciles, and pods roll only when a password changes.
 */
import { createHash, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** Hashes `password`; `saltSeed` identifies the user (e.g. `<namespace>/<cr>/<user>`). */
export type PasswordHasher = (password: string, saltSeed: string) => string;

/** bcrypt work factor: ~50 ms per hash in bcryptjs, paid once per password thanks to the memo. */
export const bcryptCost = 10;

const memo = new Map<string, string>();
const memoLimit = 10_000;

/** The default hasher: deterministic bcrypt (`$2a$`, which every nats-server 2.x recognises), memoised. */
export const bcryptHasher: PasswordHasher = (password, saltSeed) => {
  const key = `${saltSeed}\u0000${password}`;
  const cached = memo.get(key);
  if (cached) return cached;
  const saltBytes = createHash('sha256').update(key).digest().subarray(0, 16);
  const salt = `$2a$${bcryptCost}$${bcrypt.encodeBase64(saltBytes, 16)}`;
  const hash = bcrypt.hashSync(password, salt);
  if (memo.size >= memoLimit) memo.clear();
  memo.set(key, hash);
  return hash;
};

/** A fresh random password (32 URL-safe characters, 192 bits). Never log it. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}
