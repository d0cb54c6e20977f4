import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { freePort } from "./free-port";

/** What a receiver saw of one request. */
export type Arrival = { at: number; headers: Record<string, string>; body: string };
export type Answer = (res: ServerResponse, n: number) => void;

/**
 * A local (loopback) webhook receiver: each path answers as its test says (by the request's
 * number on that path, from 1) and records what arrived. Requests told to hang are kept
 * open until the receiver closes.
 */
export async function startReceiver() {
  const answers = new Map<string, Answer>();
  const arrivals = new Map<string, Arrival[]>();
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      const seen = arrivals.get(path) ?? [];
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      seen.push({ at: Date.now(), headers, body: Buffer.concat(chunks).toString("utf8") });
      arrivals.set(path, seen);
      const answer = answers.get(path) ?? ((r) => r.writeHead(200).end("ok"));
      answer(res, seen.length);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    /** A new path on this receiver answering with `answer`. */
    path(answer?: Answer) {
      const path = `/${randomUUID()}`;
      if (answer) answers.set(path, answer);
      return { url: `http://127.0.0.1:${port}${path}`, arrivals: () => arrivals.get(path) ?? [] };
    },
    hang: (res: ServerResponse) => void hanging.add(res),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
