/** Test support: a small Dockerfile reader (instructions with continuation lines joined) and .dockerignore matching. */

export interface Instruction {
  /** Upper-case keyword, e.g. `FROM`. */
  keyword: string;
  /** The rest of the instruction, continuations joined with a space. */
  args: string;
  /** 1-based line of the keyword. */
  line: number;
}

/** The instructions of a Dockerfile, comments and blank lines dropped. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: Instruction | undefined;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (pending && line.startsWith('#')) continue;
    const continued = line.endsWith('\\');
    const body = continued ? line.slice(0, -1).trim() : line;
    if (pending) pending.args = `${pending.args} ${body}`.trim();
    else {
      const match = /^(\S+)\s*(.*)$/.exec(body);
      pending = { keyword: (match?.[1] ?? '').toUpperCase(), args: match?.[2] ?? '', line: i + 1 };
    }
    if (!continued) { out.push(pending); pending = undefined; }
  }
  if (pending) out.push(pending);
  return out;
}

/** A build stage: its FROM image, its name and its instructions after FROM. */
export interface Stage { image: string; name: string | undefined; instructions: Instruction[] }

export function stagesOf(instructions: readonly Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

/** A .dockerignore pattern as a regular expression over slash-separated paths (Go filepath.Match + `**`). */
function patternRegExp(pattern: string): RegExp {
  let source = '';
  const p = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*' && p[i + 1] === '*') { source += '.*'; i++; if (p[i + 1] === '/') i++; }
    else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A pattern that matches a folder excludes (or includes) everything below it.
  return new RegExp(`^${source}(/.*)?$`);
}

/** True when the Docker build context keeps `path` under these .dockerignore rules (last matching rule wins). */
export function keptByDockerignore(ignoreText: string, path: string): boolean {
  let kept = true;
  for (const raw of ignoreText.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (patternRegExp(negated ? line.slice(1) : line).test(path)) kept = negated;
  }
  return kept;
}
