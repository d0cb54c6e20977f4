/**
 * A real app for the executor to drive: an `Inngest` client in dev mode pointing at a
 * fresh executor, its functions served by the SDK's Node adapter on a free port.
 */
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Inngest, type InngestFunction } from "inngest";
import { serve } from "inngest/node";
import { onTestFinished, vi } from "vitest";
import { startInngest, type InngestDevServer, type InngestOptions } from "@/devstack/inngest/server";
import type { Run } from "@/devstack/inngest/store";
import { freePort } from "../../support/free-port";

export type Harness = {
  inngest: Inngest;
  executor: InngestDevServer;
  appUrl: string;
  logs: string[];
  /** The `stepId` of every call the executor made to the app, in order ("step" = discovery). */
  calls: string[];
  /** Stops the executor and starts a new one on the same port and data dir. */
  restartExecutor: () => Promise<void>;
  /** Serves these functions and syncs them. */
  serve: (functions: InngestFunction.Any[]) => Promise<void>;
  /** Serves these functions without asking the executor to sync. */
  startAppOnly: (functions: InngestFunction.Any[]) => Promise<void>;
  stopApp: () => Promise<void>;
  /**
   * Answers the app's requests itself while `handler` returns true (e.g. to play a proxy's
   * error page, or an SDK answer the SDK won't produce); otherwise the SDK answers.
   */
  intercept: (handler: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined) => void;
  startApp: () => Promise<void>;
  send: (name: string, data?: Record<string, unknown>, id?: string) => Promise<string>;
  runsOf: (eventId: string) => Run[];
  /** Polls until the event's run (of `functionId`, if given) has ended, and returns it. */
  finished: (eventId: string, functionId?: string, timeoutMs?: number) => Promise<Run>;
  until: <T>(probe: () => T | undefined | false, what: string, timeoutMs?: number) => Promise<T>;
  close: () => Promise<void>;
};

const ignore = () => {};
const quiet = { info: ignore, warn: ignore, error: ignore, debug: ignore };

export async function createHarness(options: Partial<InngestOptions> = {}): Promise<Harness> {
  const executorPort = await freePort();
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}/api/inngest`;
  const inngest = new Inngest({
    id: "offload-test",
    isDev: true,
    baseUrl: `http://127.0.0.1:${executorPort}`,
    // Functions here throw on purpose; the SDK would print every one of them.
    logger: quiet,
    internalLogger: quiet,
  });
  const logs: string[] = [];
  const calls: string[] = [];
  const executorOptions: InngestOptions = {
    appUrls: [appUrl],
    port: executorPort,
    backoffBaseMs: 10,
    unavailableMaxDelayMs: 100,
    syncIntervalMs: 100,
    log: (line) => logs.push(line),
    ...options,
  };
  let executor = await startInngest(executorOptions);
  let functions: InngestFunction.Any[] = [];
  let server: http.Server | undefined;
  let interceptor: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined;

  const startApp = () =>
    new Promise<void>((resolve, reject) => {
      const handler = serve({ client: inngest, functions });
      server = http.createServer((req, res) => {
        if (req.method === "POST") calls.push(new URL(req.url ?? "/", appUrl).searchParams.get("stepId") ?? "");
        if (interceptor?.(req, res)) return;
        void handler(req, res);
      });
      server.once("error", reject);
      server.listen(appPort, "127.0.0.1", () => resolve());
    });
  const stopApp = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
      server = undefined;
    });

  const until = async <T,>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> => {
    try {
      return await vi.waitFor(
        () => {
          const value = probe();
          if (value === undefined || value === false) throw new Error(`not yet: ${what}`);
          return value;
        },
        { timeout: timeoutMs, interval: 10 },
      );
    } catch (error) {
      throw new Error(`timed out waiting for ${what}; executor log:\n${logs.join("\n")}`, { cause: error });
    }
  };
  const runsOf = (eventId: string) => [...executor.store.runs.values()].filter((run) => run.event.id === eventId);

  return {
    inngest,
    get executor() {
      return executor;
    },
    restartExecutor: async () => {
      await executor.close();
      executor = await startInngest(executorOptions);
    },
    appUrl,
    logs,
    calls,
    serve: async (fns) => {
      functions = fns;
      await startApp();
      await executor.sync();
    },
    startAppOnly: async (fns) => {
      functions = fns;
      await startApp();
    },
    stopApp,
    startApp,
    intercept: (handler) => {
      interceptor = handler;
    },
    send: async (name, data = {}, id) => {
      const { ids } = await inngest.send({ name, data, ...(id ? { id } : {}) });
      return ids[0]!;
    },
    runsOf,
    until,
    finished: (eventId, functionId, timeoutMs) =>
      until(
        () => runsOf(eventId).find((run) => (!functionId || run.functionId === functionId) && run.endedAt !== undefined),
        `a finished run for event ${eventId}`,
        timeoutMs,
      ),
    close: async () => {
      await stopApp();
      await executor.close();
    },
  };
}

/** A fresh data directory for this test's executor, removed once the test and its afterEach hooks are done. */
export async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "inngest-devstack-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
