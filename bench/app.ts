import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { startInngest, type InngestDevServer } from "../devstack/inngest/server";
import { startMail } from "../devstack/mail/server";
import { resendAuthMail } from "../devstack/supabase/auth-mail";
import { startSupabase, type SupabaseStack } from "../devstack/supabase/server";
import { createTestDatabase } from "../tests/support/databases";
import { freePort } from "../tests/support/free-port";
import { spawnNext, type NextProcess } from "../tests/support/next";

const root = path.resolve(import.meta.dirname, "..");

export type RunningApp = NextProcess;

/**
 * A production build of the app (`next build` into .next-bench), served by `next start`.
 * `build: false` starts another server over the build already made, e.g. with other settings.
 */
export function startProductionApp(port: number, env: Record<string, string>, options: { build?: boolean } = {}): Promise<RunningApp> {
  return spawnNext({
    mode: "production",
    port,
    distDir: ".next-bench",
    build: options.build,
    // Builds the floor routes (app/api/bench/**/route.bench.ts) in; see next.config.ts.
    env: { ...env, OFFLOAD_BENCH_ROUTES: "1" },
  });
}

/** Resident memory of a process group (`next start` and its server), in MiB, from /proc (Linux). */
export function rssMiB(groupId: number): number {
  let kib = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 5 of /proc/<pid>/stat is the process group; the command name may contain spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const group = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      if (group !== groupId) continue;
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // the process exited while we looked
    }
  }
  return kib / 1024;
}

/** Requests each devstack service has received so far: what the app asked of its backends. */
export type BackendCalls = { supabase: number; inngest: number };

export type BenchStack = {
  app: RunningApp;
  supabase: SupabaseStack;
  executor: InngestDevServer;
  /** The outbox the app's and the Auth server's emails go to. */
  mailUrl: string;
  calls: BackendCalls;
  /** Registers the app's functions with the executor, if `startBenchStack` was told to wait. */
  syncFunctions: () => Promise<void>;
  close: () => Promise<void>;
};

/**
 * The whole product for a benchmark: devstack on a fresh PostgreSQL database, and a
 * production build. With `functions: "later"` the executor accepts events but runs nothing
 * until `syncFunctions()`, so what the backends receive meanwhile is the request path's alone.
 */
export async function startBenchStack(options: { functions?: "now" | "later" } = {}): Promise<BenchStack> {
  const calls: BackendCalls = { supabase: 0, inngest: 0 };
  const database = await createTestDatabase("postgres");
  const mail = await startMail({ port: await freePort() });
  const supabase = await startSupabase({
    projectDir: path.join(root, "supabase"),
    port: await freePort(),
    databaseUrl: database.databaseUrl,
    authMail: resendAuthMail({ url: mail.url }),
    onRequest: () => void calls.supabase++,
  });
  const appPort = await freePort();
  const serveUrl = `http://127.0.0.1:${appPort}/api/inngest`;
  const later = options.functions === "later";
  const executor = await startInngest({
    port: await freePort(),
    appUrls: later ? [] : [serveUrl],
    log: () => {},
    onRequest: () => void calls.inngest++,
  });
  const app = await startProductionApp(appPort, {
    SUPABASE_URL: supabase.url,
    RESEND_BASE_URL: mail.url,
    INNGEST_DEV: executor.url,
  });
  const syncFunctions = async () => {
    await executor.registry.sync(serveUrl);
  };
  if (!later) await executor.sync();
  return {
    app,
    supabase,
    executor,
    mailUrl: mail.url,
    calls,
    syncFunctions,
    close: async () => {
      await app.stop();
      await executor.close();
      await mail.close();
      await supabase.close();
      await database.drop();
    },
  };
}
