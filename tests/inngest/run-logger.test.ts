/**
 * The app's Inngest logger, driven by the real SDK: a function whose email step fails as
 * expected logs one line per error; an unexpected error keeps its stack.
 */
import http from "node:http";
import { Inngest, NonRetriableError } from "inngest";
import { serve } from "inngest/node";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startInngest, type InngestDevServer } from "@/devstack/inngest/server";
import { RunLogger } from "@/inngest/logger";
import { freePort } from "../support/free-port";

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
  vi.restoreAllMocks();
});

/** Runs `fail` as a step of a function with no retries, and returns what console.error got. */
async function logsOfFailingRun(fail: () => never): Promise<string[]> {
  const printed: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    printed.push(args.map((arg) => (arg instanceof Error ? (arg.stack ?? String(arg)) : String(arg))).join(" "));
  });
  const [executorPort, appPort] = [await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${appPort}/api/inngest`;
  const inngest = new Inngest({ id: "logs", isDev: true, baseUrl: `http://127.0.0.1:${executorPort}`, logger: new RunLogger() });
  const fn = inngest.createFunction({ id: "send", triggers: { event: "test/send" }, retries: 0 }, async ({ step }) => {
    await step.run("send-email", fail);
  });
  const executor: InngestDevServer = await startInngest({ appUrls: [appUrl], port: executorPort, log: () => {} });
  const server = http.createServer(serve({ client: inngest, functions: [fn] }));
  await new Promise<void>((resolve) => server.listen(appPort, "127.0.0.1", resolve));
  close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await executor.close();
  };
  await executor.sync();
  const { ids } = await inngest.send({ name: "test/send", data: {} });
  await vi.waitFor(() => expect([...executor.store.runs.values()].find((r) => r.event.id === ids[0])?.status).toBe("Failed"), {
    timeout: 10_000,
  });
  return printed;
}

describe("RunLogger", () => {
  it("logs an expected email failure in one line per error, without its stack", async () => {
    const printed = await logsOfFailingRun(() => {
      throw new NonRetriableError("Resend rejected the welcome email (422): Invalid `to` field.");
    });
    expect(printed.length).toBeGreaterThan(0);
    for (const line of printed) {
      expect(line).toMatch(/^Inngest (step|function) error: NonRetriableError: Resend rejected the welcome email \(422\)/);
      expect(line).not.toContain("\n");
    }
  });

  it("keeps the stack of an unexpected error", async () => {
    const printed = await logsOfFailingRun(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'email')");
    });
    expect(printed.some((line) => line.includes("TypeError: Cannot read properties") && /\n\s+at /.test(line))).toBe(true);
  });
});
