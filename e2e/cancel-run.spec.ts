import { expect, test } from "@playwright/test";
import { subDays } from "date-fns";
import { createAccount, isoDay, newAccount, requestReport } from "./helpers";
import { seedActivity } from "./seed";
import { sql } from "./sql";
import { urls } from "./stack";

/**
 * A run cancelled outside the app, as an operator would on the Inngest runs page (or its
 * REST API): the job ends `cancelled` and the user's page says so, instead of showing
 * progress until the stuck-job alert fires.
 */

const RANGE_DAYS = 90;
/** Enough rows that the report is still running when the operator gets to its run. */
const ROWS = 1_000_000;

test("cancelling a running report on the runs page shows the job cancelled", async ({ page, context }) => {
  const account = newAccount();
  await createAccount(page.request, account);
  const firstDay = isoDay(subDays(new Date(), RANGE_DAYS - 1));
  await seedActivity(account.email, ROWS, `${firstDay}T00:00:00Z`, new Date().toISOString());
  const jobId = await requestReport(page, "All activity", { from: firstDay, to: isoDay(new Date()) });

  const bar = page.getByRole("progressbar", { name: "Progress" });
  await expect
    .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { intervals: [100] })
    .toBeGreaterThan(0);

  // The operator, in another tab: the report's event (its id is the job id) and its run.
  const runs = await context.newPage();
  await runs.goto(`${urls.inngest}/events`);
  await runs.getByRole("row").filter({ hasText: jobId }).getByRole("link").first().click();
  await expect(runs.getByText("Generate report").first()).toBeVisible();
  await runs.getByRole("button", { name: "Cancel" }).click();
  await expect(runs.getByText("Cancelled").first()).toBeVisible();

  // The user's page, untouched: the poll picks the cancellation up.
  await expect(page.getByRole("heading", { name: "This report was cancelled" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Cancelled." })).toBeAttached();
  // No more "processing": the bar says where it stopped, and nothing offers an email.
  await expect(bar).toHaveAttribute("aria-valuetext", /Stopped/);
  await expect(page.getByRole("button", { name: /email me/i })).toHaveCount(0);
  const [job] = await sql<{ status: string }[]>`select status from public.jobs where id = ${jobId}`;
  expect(job?.status).toBe("cancelled");
});
