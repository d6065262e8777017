/**
 * Signal handling for long-running commands: the first SIGINT/SIGTERM/SIGHUP runs the clean stop and exits 0 (1 when
 * the stop failed). A second SIGINT or SIGTERM exits at once (130), for when a clean stop hangs; a SIGHUP while
 * stopping is ignored, because a closing terminal sends it right after the Ctrl-C that started the stop.
 */
export function stopOnSignal(stop: () => Promise<void>, write: (text: string) => void = (t) => process.stderr.write(t)): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      if (signal === 'SIGHUP') return;
      write(`\n${signal} again: exiting without cleaning up\n`);
      process.exit(130);
    }
    stopping = true;
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        write(`stop failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('SIGHUP', handler);
}
