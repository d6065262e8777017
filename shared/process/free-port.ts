/** Free TCP ports for child processes that take their port on the command line or in the environment. */
import { createServer } from 'node:net';

/** A port on 127.0.0.1 that was free a moment ago (the kernel picks it; the child binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
