/**
 * The JSON text of stored objects, computed once. Stored objects are never mutated (see objects.ts), so the text
 * serialised for one GET / apply answer / watch event is reused by every later answer and watcher that sends the
 * same object. Objects that are not stored (fresh Lists, Status bodies, dry-run results) are serialised each time.
 */
const stored = new WeakSet<object>();
const texts = new WeakMap<object, string>();

/** Marks an object as owned by the store: from now on never mutated, so its text may be cached. */
export function markStored(object: object): void {
  stored.add(object);
}

/** `JSON.stringify(value)`, from the cache when `value` is a stored object. */
export function jsonOf(value: unknown): string {
  if (typeof value !== 'object' || value === null || !stored.has(value)) return JSON.stringify(value);
  let text = texts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    texts.set(value, text);
  }
  return text;
}
