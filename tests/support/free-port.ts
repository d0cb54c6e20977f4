import { createServer } from "node:net";

/**
 * Ports are picked below the operating systems' ephemeral ranges (Linux 32768-60999,
 * macOS and Windows 49152-65535). A port the OS hands out for `listen(0)` comes from the
 * ephemeral range, which is also where every outgoing connection's local port comes from:
 * between "free" and the test's server listening on it, any fetch could take it. Nothing
 * takes a port from this range unasked.
 */
const FIRST = 20_000;
const LAST = 32_767;

/** Handed out by this process already: two servers of one test never get the same port. */
const given = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A port nothing listens on now, for a server that must know its port before it starts
 * (an app URL given to the executor first, say). Parallel test processes start at random
 * places in the range, so they don't ask for the same ports. A server that can take
 * port 0 itself should do that instead.
 */
export async function freePort(): Promise<number> {
  const span = LAST - FIRST + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = FIRST + ((start + i) % span);
    if (given.has(port)) continue;
    given.add(port);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in ${FIRST}-${LAST}`);
}
