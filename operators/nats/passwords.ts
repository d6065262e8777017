/**
 * User passwords: generated randomly, stored only in Secrets, and put into nats.conf as bcrypt hashes.
 * The bcrypt salt is derived from the user's identity and password, so the same password always gives the same hash:
 * the config (and its hash annotation) stays stable across reconciles, and pods roll only when a password changes.
 */
import { createHash, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** Hashes `password`; `saltSeed` identifies the user (e.g. `<namespace>/<cr>/<user>`). */
export type PasswordHasher = (password: string, saltSeed: string) => string;

/**
 * bcrypt work factor: 4, the minimum (~1 ms per hash in bcryptjs instead of ~50 ms at 10). A work factor only slows
 * down guessing of low-entropy secrets (human passwords). Ours are 192-bit random strings (`generatePassword`):
 * 2^192 guesses are out of reach whatever each costs, so a higher cost buys no security against brute force, while at
 * cost 10 it was three quarters of this operator's CPU at 1,000 tenants (bench/README.md). nats-server accepts any
 * bcrypt cost. (A password already in a user's Secret is kept and hashed the same way: it is one we generated,
 * unless someone replaced it by hand.)
 */
export const bcryptCost = 4;

const memo = new Map<string, string>();
const memoLimit = 10_000;

/** The default hasher: deterministic bcrypt (`$2a$`, which every nats-server 2.x recognises), memoised. */
export const bcryptHasher: PasswordHasher = (password, saltSeed) => {
  const key = `${saltSeed}\u0000${password}`;
  const cached = memo.get(key);
  if (cached) return cached;
  const saltBytes = createHash('sha256').update(key).digest().subarray(0, 16);
  const salt = `$2a$${String(bcryptCost).padStart(2, '0')}$${bcrypt.encodeBase64(saltBytes, 16)}`;
  const hash = bcrypt.hashSync(password, salt);
  if (memo.size >= memoLimit) memo.clear();
  memo.set(key, hash);
  return hash;
};

/** A fresh random password (32 URL-safe characters, 192 bits). Never log it. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Passwords generated for user Secrets that the cache does not show yet, by CR uid and Secret name. The create of a
 * Secret reaches this process's cache only with its watch event; a reconcile in between (woken by another child's
 * event) found no Secret and generated another password: its create met AlreadyExists, but its nats.conf (and the
 * StatefulSet's config hash) carried that other password, applied and corrected by the next reconcile (two
 * needless applies, a pod roll, and a bcrypt hash, the costliest step of a reconcile). Until the Secret is seen, the
 * same password is handed out again. Bounded; a restart forgets (the cache is synced by then).
 */
export class PendingPasswords {
  private readonly pending = new Map<string, string>();
  private readonly limit: number;

  constructor(limit = 10_000) {
    this.limit = limit;
  }

  /** The password to create `secretName` of the CR `uid` with: the one handed out before, else a new one. */
  next(uid: string, secretName: string, generate: () => string = generatePassword): string {
    const key = `${uid}/${secretName}`;
    const known = this.pending.get(key);
    if (known !== undefined) return known;
    const password = generate();
    if (this.pending.size >= this.limit) this.pending.clear();
    this.pending.set(key, password);
    return password;
  }

  /** `secretName` of the CR `uid` is in the cache now: its password is read from there from now on. */
  seen(uid: string, secretName: string): void {
    this.pending.delete(`${uid}/${secretName}`);
  }

  get size(): number { return this.pending.size; }
}
