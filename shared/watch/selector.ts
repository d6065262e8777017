/** Label selector matching for cache queries: `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x,y)`. */

type Requirement = (labels: Record<string, string>) => boolean;

/** Compiles a label selector string into a predicate over labels. An empty selector matches everything. */
export function compileLabelSelector(selector: string | undefined): (labels: Record<string, string> | undefined) => boolean {
  const requirements = splitTerms(selector ?? '').map(parseTerm);
  return (labels) => requirements.every((matches) => matches(labels ?? {}));
}

function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) { terms.push(current); current = ''; } else current += char;
  }
  terms.push(current);
  return terms.map((term) => term.trim()).filter((term) => term !== '');
}

function parseTerm(term: string): Requirement {
  const setMatch = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(term);
  if (setMatch) {
    const [, key = '', op, list = ''] = setMatch;
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in'
      ? (labels) => labels[key] !== undefined && values.has(labels[key])
      : (labels) => labels[key] === undefined || !values.has(labels[key]);
  }
  const notEqual = /^([^!=]+)!=(.*)$/.exec(term);
  if (notEqual) {
    const [, key = '', value = ''] = notEqual;
    return (labels) => labels[key.trim()] !== value.trim();
  }
  const equal = /^([^!=]+)==?(.*)$/.exec(term);
  if (equal) {
    const [, key = '', value = ''] = equal;
    return (labels) => labels[key.trim()] === value.trim();
  }
  if (term.startsWith('!')) {
    const key = term.slice(1).trim();
    return (labels) => labels[key] === undefined;
  }
  return (labels) => labels[term] !== undefined;
}
