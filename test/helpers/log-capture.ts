/** A real pino logger whose JSON lines are kept in memory, so tests can assert on what was logged. */
import { createLogger, type Logger } from '#shared/observability/logger.ts';

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

export interface CapturedLog {
  log: Logger;
  /** Every line written so far, parsed. */
  lines(): LogLine[];
  /** Lines at warn level (40) or above whose message contains `text`. */
  warnings(text?: string): LogLine[];
}

export function captureLogger(name = 'test', level = 'debug'): CapturedLog {
  const lines: LogLine[] = [];
  const destination = {
    write(chunk: string): void {
      for (const line of chunk.split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
    },
  };
  return {
    log: createLogger({ name, level, destination }),
    lines: () => [...lines],
    warnings: (text) => lines.filter((l) => l.level >= 40 && (text === undefined || (l.msg ?? '').includes(text))),
  };
}
