/** Graceful shutdown: on SIGTERM/SIGINT run the stop functions (stop taking work, finish in-flight, release lease). */

export type StopFn = () => Promise<void> | void;

/**
 * Installs SIGTERM and SIGINT handlers that run `stopFns` in order once, then exit with 0 (or 1 when one failed).
 * A second signal exits at once. Returns a function that removes the handlers (tests).
 */
export function onShutdownSignal(stopFns: StopFn[], options: { exit?: (code: number) => void } = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const handler = (): void => {
    if (stopping) { exit(1); return; }
    stopping = true;
    void (async () => {
      let code = 0;
      for (const stop of stopFns) {
        try { await stop(); } catch { code = 1; }
      }
      exit(code);
    })();
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => { process.off('SIGTERM', handler); process.off('SIGINT', handler); };
}
