import { serve, type ServerType } from "@hono/node-server";
import { DEFAULT_PORTS } from "../ports";
import { createMailHandler } from "./api";
import { Outbox } from "./outbox";

export type MailOptions = {
  /** Default 54324, where `supabase start` serves its mail UI, so the two can't both run unnoticed. */
  port?: number;
  host?: string;
  /** Where `outbox.jsonl` is kept across restarts; omitted = in memory (tests). */
  dataDir?: string;
};

export type MailServer = {
  /** Point the SDK here: `RESEND_BASE_URL=<url>`. The inbox page is served at the same address. */
  url: string;
  /** What was sent, for tests in the same process (HTTP clients use `/_devstack/emails`). */
  outbox: Pick<Outbox, "list" | "get" | "clear" | "delete">;
  close: () => Promise<void>;
};

/** Serves the Resend endpoints the `resend` SDK calls, backed by a local outbox with an inbox page. */
export async function startMail(options: MailOptions = {}): Promise<MailServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? DEFAULT_PORTS.mail;
  const outbox = await Outbox.open(options.dataDir);
  const server = await listen(createMailHandler(outbox), host, port);
  return {
    url: `http://${host}:${port}`,
    outbox,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Inbox tabs hold an event stream open (live refresh); close() alone would wait for them.
      if ("closeAllConnections" in server) server.closeAllConnections();
      await closed;
      await outbox.flush();
    },
  };
}

function listen(fetch: (request: Request) => Promise<Response>, hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ hostname, port, fetch }, () => resolve(server));
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`Port ${port} is in use: is another devstack or \`supabase start\` (its mail UI) running?`)
          : error,
      ),
    );
  });
}
