/**
 * The devstack's Inngest: a local executor speaking the Inngest HTTP protocol to the app's
 * `serve()` endpoint, on the official dev server's port (8288), so the SDK runs functions
 * exactly as it does against Inngest Cloud. Point the app at it with
 * `INNGEST_DEV=http://127.0.0.1:8288`.
 */
import { serve, type ServerType } from "@hono/node-server";
import { CronScheduler } from "./cron";
import { Executor } from "./executor";
import { FlowControl } from "./flow-control";
import { Registry } from "./registry";
import { createRoutes } from "./routes";
import { Store } from "./store";

export type InngestOptions = {
  /** The app's serve endpoints, e.g. http://127.0.0.1:3000/api/inngest. */
  appUrls: string[];
  port?: number;
  host?: string;
  /** Where run history is kept across restarts (.devstack/inngest); omitted = memory only. */
  dataDir?: string;
  /**
   * First retry delay, doubling per attempt with jitter. Inngest Cloud starts around 15 s;
   * locally 1 s keeps the edit-and-retry loop short while still showing real backoff.
   * Tests use ~10 ms.
   */
  backoffBaseMs?: number;
  /** Longest retry delay. */
  backoffMaxMs?: number;
  /** Longest pause between calls while the app is down, i.e. how soon a restarted app is noticed. */
  unavailableMaxDelayMs?: number;
  /** Retry an unsynced app this often (the devstack starts before `next dev`). */
  syncIntervalMs?: number;
  /** Resync a synced app this often, to pick up edited functions. */
  resyncIntervalMs?: number;
  /** How long one call to the app may take (Vercel's longest function timeout). */
  callTimeoutMs?: number;
  /**
   * Let the SDK checkpoint: run many steps per call and report them as it goes, which SDK
   * v4 does by default against Inngest Cloud. Default true; false keeps one step per call.
   */
  checkpointing?: boolean;
  /**
   * How long a run's calls may get answers that didn't come from the SDK (an error page
   * while `next dev` recompiles) before each such answer spends an attempt.
   */
  notSdkGraceMs?: number;
  log?: (message: string) => void;
  /** Called with every request the server receives, before it is served (benchmarks count them). */
  onRequest?: (request: Request) => void;
};

export type InngestDevServer = {
  url: string;
  store: Store;
  registry: Registry;
  executor: Executor;
  /** Syncs every app now (tests call this instead of waiting for the sync timer). */
  sync: () => Promise<void>;
  close: () => Promise<void>;
};

export async function startInngest(options: InngestOptions): Promise<InngestDevServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 8288;
  const log = options.log ?? ((message: string) => console.log(`inngest: ${message}`));

  const store = new Store(options.dataDir);
  const flow = new FlowControl(store.flow);
  const registry = new Registry({
    appUrls: options.appUrls,
    syncIntervalMs: options.syncIntervalMs ?? 2_000,
    resyncIntervalMs: options.resyncIntervalMs ?? 15_000,
    log,
    // Syncs only start after `cron` exists (registry.start() below).
    onSync: () => cron.reconcile(registry.functions.values()),
  });
  const executor = new Executor({
    store,
    registry,
    flow,
    backoffBaseMs: options.backoffBaseMs ?? 1_000,
    backoffMaxMs: options.backoffMaxMs ?? 60_000,
    unavailableMaxDelayMs: options.unavailableMaxDelayMs ?? 2_000,
    callTimeoutMs: options.callTimeoutMs ?? 900_000,
    checkpointing: options.checkpointing ?? true,
    notSdkGraceMs: options.notSdkGraceMs ?? 120_000,
    log,
  });
  const cron = new CronScheduler((functionId, event) => {
    const fn = registry.functions.get(functionId);
    if (!fn) return;
    // `singleton` applies to cron runs too (a skipped tick starts nothing).
    const run = executor.trigger(fn, event);
    store.addEvent({ ...event, receivedAt: Date.now(), runIds: run ? [run.id] : [] });
  }, log);
  // Flow-control state rides along in the snapshot (idempotency must outlive a restart).
  store.flowState = () => flow.snapshot();

  const devOpts = { persist: Boolean(options.dataDir), resyncIntervalMs: options.resyncIntervalMs ?? 15_000 };
  const routes = createRoutes({ store, registry, executor, cron, devOpts });
  const { onRequest } = options;
  const server = await listen(onRequest ? (request) => (onRequest(request), routes.fetch(request)) : routes.fetch, host, port);
  executor.resume();
  registry.start();

  return {
    url: `http://${host}:${port}`,
    store,
    registry,
    executor,
    sync: async () => {
      await Promise.all([...registry.apps.keys()].map((url) => registry.sync(url)));
    },
    close: async () => {
      registry.close();
      cron.close();
      executor.close();
      store.flush();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections from the SDK's fetch would hold close() open.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}

function listen(fetch: (request: Request) => Response | Promise<Response>, hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ hostname, port, fetch }, () => resolve(server));
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`Port ${port} is in use: is another devstack or \`npx inngest-cli dev\` running?`)
          : error,
      ),
    );
  });
}
