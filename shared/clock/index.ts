/** Time as a dependency, so tests can control it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** RFC 3339 timestamp with second precision, as Kubernetes writes them. */
  nowIso(): string;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  nowIso: () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
};
