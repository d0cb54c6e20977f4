import { expect, test, type Page } from "@playwright/test";
import { subDays } from "date-fns";
import { colorSchemes, expectNoAxeViolations } from "./axe";
import { createAccount, isoDay, newAccount, requestReport } from "./helpers";
import { seedActivity } from "./seed";
import { sql } from "./sql";
import { urls } from "./stack";

/**
 * The local Inngest runs page, driven as a developer debugging a report would: find its
 * run by what is in the event's data, watch its timeline update by itself, see each failed
 * attempt of a step that was retried, and cancel the run, which the app's job page then says.
 */

const RANGE_DAYS = 90;
/** Enough rows that the report is still running when the developer gets to its run. */
const ROWS = 1_000_000;

/**
 * The first `failures` report parts written for `orgId` fail, as if the database had a
 * blip, so the report's first read step fails and is retried. A sequence counts the
 * failures because it isn't rolled back with the failing statement. Returns the undo.
 */
async function failReportParts(orgId: string, failures: number): Promise<() => Promise<void>> {
  const name = `e2e_fail_parts_${orgId.replaceAll("-", "")}`;
  await sql.unsafe(`create sequence public.${name}`);
  await sql.unsafe(`
    create function public.${name}() returns trigger language plpgsql security definer as $$
    begin
      if new.org_id = '${orgId}' and nextval('public.${name}') <= ${failures} then
        raise exception 'injected fault: the database is briefly unavailable';
      end if;
      return new;
    end $$`);
  await sql.unsafe(`create trigger ${name} before insert on public.report_chunks for each row execute function public.${name}()`);
  return async () => {
    await sql.unsafe(`drop trigger if exists ${name} on public.report_chunks`);
    await sql.unsafe(`drop function if exists public.${name}()`);
    await sql.unsafe(`drop sequence if exists public.${name}`);
  };
}

async function search(page: Page, text: string) {
  await page.getByLabel("Search").fill(text);
  await page.getByRole("button", { name: "Filter" }).click();
}

test("a report's run: found by its event data, every attempt of a retried step shown, cancelled from the runs page", async ({ page, context }) => {
  test.setTimeout(90_000);
  const account = newAccount();
  await createAccount(page.request, account);
  const firstDay = isoDay(subDays(new Date(), RANGE_DAYS - 1));
  const orgId = await seedActivity(account.email, ROWS, `${firstDay}T00:00:00Z`, new Date().toISOString());
  const undo = await failReportParts(orgId, 2);
  try {
    // The developer has the runs page open on the organisation's reports: none yet.
    const runs = await context.newPage();
    await runs.goto(urls.inngest);
    await runs.getByLabel("Function").selectOption("offload-generate-report");
    await search(runs, JSON.stringify({ orgId }));
    await expect(runs.getByText("0 runs")).toBeVisible();

    const jobId = await requestReport(page, "All activity", { from: firstDay, to: isoDay(new Date()) });

    // No reload: the run shows up on the open runs page by itself.
    const runsList = runs.getByRole("region", { name: "Runs list" });
    await expect(runsList.getByRole("link", { name: "Generate report" })).toBeVisible();

    // Narrowed to this job by a JSON object its event's data contains.
    await search(runs, JSON.stringify({ jobId }));
    await expect(runs.getByText("1 run", { exact: true })).toBeVisible();
    await runsList.getByRole("link", { name: "Generate report" }).click();
    await expect(runs.getByRole("heading", { level: 1, name: /Generate report/ })).toBeVisible();

    // The first read step failed twice and then succeeded: the timeline, updating
    // itself, lists all three attempts, the failed ones with their error.
    const attempts = runs.getByRole("list", { name: `Attempts of read-${firstDay}` }).getByRole("listitem");
    await expect(attempts).toHaveCount(3);
    await expect(attempts.nth(0)).toContainText("Attempt 1");
    await expect(attempts.nth(0)).toContainText("Failed");
    await expect(attempts.nth(1)).toContainText("Failed");
    await expect(attempts.nth(2)).toContainText("Completed");
    const trace = runs.getByRole("region", { name: `Error of attempt 1 of step read-${firstDay}` });
    await expect(trace).toContainText("injected fault");
    // A stack trace is a bounded, scrollable code block, not a page-long wall of text.
    // (Polled: the page swaps in fresh HTML as the run goes on.)
    await expect.poll(async () => (await trace.boundingBox())?.height ?? Infinity).toBeLessThan(300);
    await expect(trace).toHaveCSS("overflow-y", "auto");
    await expect(trace).toHaveAttribute("tabindex", "0");
    await expect(trace).toHaveCSS("white-space", "pre-wrap");

    await runs.getByRole("button", { name: "Cancel" }).click();
    await expect(runs.getByRole("heading", { level: 1, name: /Cancelled/ })).toBeVisible();

    await expect(page.getByRole("heading", { name: "This report was cancelled" })).toBeVisible();
    const [job] = await sql<{ status: string }[]>`select status from public.jobs where id = ${jobId}`;
    expect(job?.status).toBe("cancelled");
  } finally {
    await undo();
  }
});

test("system events are hidden until asked for, and the events list searches", async ({ page, request }) => {
  // Cron ticks and lifecycle events, as an every-minute cron would leave them.
  const functions = (await (await request.get(`${urls.inngest}/v1/functions`)).json()) as { data: { id: string; triggers: { cron?: string }[] }[] };
  const cron = functions.data.find((fn) => fn.triggers.some((t) => t.cron));
  if (!cron) throw new Error("the app has no cron function");
  const ticked = await request.post(`${urls.inngest}/v1/functions/${encodeURIComponent(cron.id)}/invoke`, { data: {} });
  expect(ticked.ok()).toBe(true);
  const { data: tick } = (await ticked.json()) as { data: { run_id: string } };

  await page.goto(urls.inngest);
  await expect(page.getByRole("link", { name: "show them" })).toBeVisible();
  await expect(page.getByText(tick.run_id)).toHaveCount(0);
  await page.getByLabel("Show runs of system events").check();
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText(tick.run_id)).toBeVisible();

  await page.goto(`${urls.inngest}/events`);
  await expect(page.getByRole("region", { name: "Recent events" }).getByText("inngest/scheduled.timer")).toHaveCount(0);
  await page.getByLabel("Show system events").check();
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("region", { name: "Recent events" }).getByText("inngest/scheduled.timer").first()).toBeVisible();

  // The events list searches too (paging is unit-tested: tests/devstack/inngest/run-query.test.ts).
  const marker = `marker-${Date.now()}`;
  const sent = Array.from({ length: 3 }, (_, i) => ({ name: "e2e/runs-page.searched", data: { marker, i } }));
  expect((await request.post(`${urls.inngest}/e/key`, { data: sent })).ok()).toBe(true);
  await page.getByLabel("Search").fill(marker);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("3 events", { exact: true })).toBeVisible();
});

for (const colorScheme of colorSchemes) {
  test(`the runs pages meet WCAG 2.1 AA in ${colorScheme} mode, at 390 px too`, async ({ page, request }) => {
    await page.emulateMedia({ colorScheme });
    const { data: runs } = (await (await request.get(`${urls.inngest}/v1/runs`)).json()) as { data: { run_id: string }[] };
    const run = runs[0];
    if (!run) throw new Error("no run to look at");
    for (const path of ["/", `/runs/${encodeURIComponent(run.run_id)}`, "/events", "/functions"]) {
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${urls.inngest}${path}`);
        await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
        await expectNoAxeViolations(page);
        // Nothing wider than the screen: wide tables and code scroll inside their own box.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${path} at ${width} px`).toBeLessThanOrEqual(0);
      }
    }
  });
}
