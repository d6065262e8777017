/**
 * Placeholders of recorded strings (`<uid>`, `<rv>`, `<time>`, ...): a recorded string containing one matches an
 * actual string built the same way, the token standing for its pattern, matched whole.
 */

const PATTERNS: Record<string, string> = {
  '<uid>': '[^\\s"]+',
  '<rv>': '[^\\s"]+',
  '<time>': '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z',
  '<generated>': '[a-z0-9]{5}',
  '<ip>': '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}',
  '<token>': '[^\\s"]+',
  '<continue>': '[^\\s"]*',
  '<any>': '[\\s\\S]*',
};
const TOKEN = /<(?:uid|rv|time|generated|ip|token|continue|any)>/;
const TOKENS = /(<(?:uid|rv|time|generated|ip|token|continue|any)>)/;

/** True when the recorded string contains a placeholder. */
export function hasPlaceholder(recorded: string): boolean {
  return TOKEN.test(recorded);
}

/** The anchored RegExp a recorded string with placeholders stands for. */
export function placeholderRegExp(recorded: string): RegExp {
  const source = recorded
    .split(TOKENS)
    .map((part) => PATTERNS[part] ?? part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('');
  return new RegExp(`^${source}$`);
}

/** Recorded string vs actual value: equal, or matching the placeholder pattern. */
export function stringMatches(recorded: string, actual: unknown): boolean {
  if (typeof actual !== 'string') return false;
  return hasPlaceholder(recorded) ? placeholderRegExp(recorded).test(actual) : recorded === actual;
}
