/** Logs, metrics and the probe endpoint (DESIGN section 5). */
export * from './logger.ts';
export * from './metrics.ts';
export * from './http.ts';
