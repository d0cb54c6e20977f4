import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CronRunStarted } from "@/lib/admin/crons";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { makePlatformAdmin } from "../support/supabase";

/** The Crons page's "Run now": it says which run it started, and the page its last manual run. */
describe(`crons page (${inject("database")})`, () => {
  let stack: AppStack;
  let operator: ApiClient;

  beforeAll(async () => {
    stack = await startAppStack();
    operator = await signUpThroughApp(stack.app.url, "Cron Operator");
    await makePlatformAdmin(operator.userId);
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  it("answers with when the run started and where its run is listed, and the page shows the manual run", async () => {
    const before = Date.now();
    const { status, body } = await operator.json<CronRunStarted>("/api/admin/crons/daily-digest/run", { method: "POST" });
    expect(status).toBe(202);
    expect(new Date(body.startedAt).getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(body.runsUrl).toBe(`${stack.executor.url}/?function=offload-daily-digest`);

    // The link lists the run that event started.
    const runOfEvent = () => [...stack.executor.store.runs.values()].find((r) => r.event.id === body.eventId);
    await expect.poll(runOfEvent, { timeout: 20_000 }).toBeDefined();
    expect(await (await fetch(body.runsUrl!)).text()).toContain(runOfEvent()!.id);

    const page = await (await operator.fetch("/admin/crons")).text();
    expect(page).toContain("Next run");
    expect(page).toContain("Last due on schedule");
    expect(page).toMatch(new RegExp(`Last run by hand.*by (<!-- -->)?${operator.email.replace(/[.+]/g, "\\$&")}`, "s"));
  }, 120_000);
});
