import { serve, type ServerType } from "@hono/node-server";
import { DEFAULT_PORTS } from "../ports";
import { createReceiverApp } from "./api";
import { TraceStore } from "./store";

export type TraceReceiverOptions = {
  /** Default 4318, OTLP/HTTP's standard port (a collector's, Jaeger's, Grafana's). */
  port?: number;
  host?: string;
  maxTraces?: number;
};

export type TraceReceiver = {
  /** What OTEL_EXPORTER_OTLP_ENDPOINT is set to; the pages are served at the same address. */
  url: string;
  /** The traces received, for tests in the same process (HTTP clients use `/api/traces`). */
  store: Pick<TraceStore, "list" | "get" | "clear" | "receivedSpans">;
  close: () => Promise<void>;
};

/** An OTLP/HTTP trace receiver that keeps recent traces in memory and shows them as waterfalls. */
export async function startTraceReceiver(options: TraceReceiverOptions = {}): Promise<TraceReceiver> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? DEFAULT_PORTS.otel;
  const store = new TraceStore(options.maxTraces);
  const app = createReceiverApp(store);
  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve({ hostname: host, port, fetch: app.fetch }, () => resolve(started));
    started.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new Error(`Port ${port} is in use: is another devstack or collector running?`) : error),
    );
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://${host}:${actualPort}`,
    store,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if ("closeAllConnections" in server) server.closeAllConnections();
      await closed;
    },
  };
}
