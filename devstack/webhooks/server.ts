import { serve, type ServerType } from "@hono/node-server";
import { DEFAULT_PORTS } from "../ports";
import { createCatcherHandler } from "./api";
import { CatcherStore } from "./store";

export type WebhookCatcherOptions = {
  /** Default 54325, next to the mail stand-in. */
  port?: number;
  host?: string;
  /** Where `messages.jsonl` and `secrets.json` are kept across restarts; omitted = in memory (tests). */
  dataDir?: string;
};

export type WebhookCatcher = {
  /** Give the app endpoints under it: `<url>/my-endpoint`. The list page is served at the same address. */
  url: string;
  /** What was caught, for tests in the same process (HTTP clients use `/api/messages`). */
  store: Pick<CatcherStore, "list" | "get" | "clear" | "setSecret">;
  close: () => Promise<void>;
};

/** Catches webhooks: any POST is stored and answered, and shown with its signature checked. */
export async function startWebhookCatcher(options: WebhookCatcherOptions = {}): Promise<WebhookCatcher> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? DEFAULT_PORTS.webhooks;
  const store = await CatcherStore.open(options.dataDir);
  const server = await listen(createCatcherHandler(store), host, port);
  return {
    url: `http://${host}:${port}`,
    store,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // The list page holds an event stream open, and a `?delay=` answer may be waiting.
      if ("closeAllConnections" in server) server.closeAllConnections();
      await closed;
      await store.flush();
    },
  };
}

function listen(fetch: (request: Request) => Promise<Response>, hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ hostname, port, fetch }, () => resolve(server));
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new Error(`Port ${port} is in use: is another devstack running?`) : error),
    );
  });
}
