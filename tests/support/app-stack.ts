import { inject } from "vitest";
import { startInngest, type InngestDevServer } from "@/devstack/inngest/server";
import { startMail, type MailServer } from "@/devstack/mail/server";
import { startApp, type AppProcess } from "./app";
import { freePort } from "./free-port";
import { nextEnv } from "./next";

export type AppStack = {
  app: AppProcess;
  mail: MailServer;
  executor: InngestDevServer;
  /**
   * The environment the app reads (over the test process's own), for a test that computes
   * what the app computes with its secrets, e.g. an invitation link's token.
   */
  env: Record<string, string>;
  /** Kills the app as a crash would and starts it again on the same port. */
  restartApp: (between?: () => Promise<void>) => Promise<void>;
  /** Runs `during` with Inngest unreachable, then starts a fresh executor on the same port. */
  withExecutorDown: <T>(during: () => Promise<T>) => Promise<T>;
  close: () => Promise<void>;
};

export type AppStackOptions = {
  /** The executor's first retry delay. */
  backoffBaseMs?: number;
  /** The app's settings for this file (limits, say), over the stack's service URLs. */
  env?: Record<string, string>;
};

/**
 * The whole product for one test file: the real app (next dev) wired to this project's
 * Supabase API (from global setup), a fresh outbox and a fresh Inngest executor.
 */
export async function startAppStack(options: AppStackOptions = {}): Promise<AppStack> {
  const appPort = await freePort();
  const mail = await startMail({ port: await freePort() });
  const executorPort = await freePort();
  const startExecutor = () =>
    startInngest({
      port: executorPort,
      appUrls: [`http://127.0.0.1:${appPort}/api/inngest`],
      backoffBaseMs: options.backoffBaseMs ?? 300,
      backoffMaxMs: 1_000,
      unavailableMaxDelayMs: 250,
      log: () => {},
    });
  const executor = await startExecutor();
  const distDir = `.next-test-${inject("database")}`;
  // Webhooks go to loopback receivers the tests run, retried 1,000 times sooner.
  const webhookDefaults = { WEBHOOK_RETRY_TIME_SCALE: "0.001", WEBHOOKS_ALLOW_LOOPBACK: "true" };
  const settings = { ...webhookDefaults, ...options.env, SUPABASE_URL: inject("supabaseUrl"), RESEND_BASE_URL: mail.url, INNGEST_DEV: executor.url };
  const launch = () => startApp({ port: appPort, distDir, env: settings });
  const stack: AppStack = {
    app: await launch(),
    mail,
    executor,
    env: nextEnv({ mode: "dev", distDir, appUrl: `http://127.0.0.1:${appPort}`, env: settings }),
    restartApp: async (between) => {
      await stack.app.stop();
      await between?.();
      stack.app = await launch();
    },
    withExecutorDown: async (during) => {
      await stack.executor.close();
      try {
        return await during();
      } finally {
        stack.executor = await startExecutor();
        await stack.executor.sync();
      }
    },
    close: async () => {
      await stack.app.stop();
      await stack.executor.close();
      await mail.close();
    },
  };
  await executor.sync();
  return stack;
}
