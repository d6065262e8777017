/**
 * The pino logger factory. Every line carries the operator name; reconcilers add the object reference with
 * `log.child({ ref })`. Secret material is redacted by path.
 */
import { pino } from 'pino';

export type Logger = pino.Logger;

export interface LoggerOptions {
  /** The operator or program name, on every line as `operator`. */
  name: string;
  level?: string;
  /** Write here instead of stdout (tests). */
  destination?: pino.DestinationStream;
}

/** Paths whose values never reach a log line. */
export const redactedPaths = [
  'password', '*.password', 'token', '*.token', 'data', '*.data', 'stringData', '*.stringData', 'headers.authorization',
];

export function createLogger(options: LoggerOptions): Logger {
  const config: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { operator: options.name },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

/** A logger that drops everything, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
