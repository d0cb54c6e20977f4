import { readFile } from "node:fs/promises";
import { subDays } from "date-fns";
import { expect, test, type Page } from "@playwright/test";
import { createAccount, isoDay, newAccount, requestReport as requestReportFor, type Account } from "./helpers";
import { seedActivity } from "./seed";
import { sql } from "./sql";
import { urls } from "./stack";

/** The report range, in days up to today: what the tests seed and ask for. */
const RANGE_DAYS = 90;
/** Enough rows that a report runs for seconds, so there is progress to see. */
const ROWS = 300_000;
/** Enough that a report still runs well after the email offer (2 s in e2e) and a click. */
const MORE_ROWS = 1_000_000;

const today = isoDay(new Date());
const firstDay = isoDay(subDays(new Date(), RANGE_DAYS - 1));

/** A new user, signed in in this page's browser context, whose workspace has activity. */
async function signUpWithActivity(
  page: Page,
  rows: number,
): Promise<{ account: Account; orgId: string }> {
  const account = newAccount();
  // page.request shares the page's cookies, so this signs the page in too.
  await createAccount(page.request, account);
  const orgId = await seedActivity(account.email, rows, `${firstDay}T00:00:00Z`, new Date().toISOString());
  return { account, orgId };
}

/** Asks for a report of `kind`, by default over the seeded range. */
const requestReport = (page: Page, kind: "All activity" | "Daily summary", range = { from: firstDay, to: today }) =>
  requestReportFor(page, kind, range);

test("a report runs with visible progress, completes, and downloads as CSV", async ({ page }) => {
  const { orgId } = await signUpWithActivity(page, ROWS);
  await requestReport(page, "All activity");

  // Record every value the bar shows until it completes.
  const bar = page.getByRole("progressbar", { name: "Progress" });
  const seen: number[] = [];
  await expect
    .poll(
      async () => {
        const value = await bar.getAttribute("aria-valuenow");
        if (value !== null) seen.push(Number(value));
        return value;
      },
      { intervals: [100], timeout: 60_000 },
    )
    .toBe("100");
  expect(
    seen.some((value) => value > 0 && value < 100),
    `values seen: ${seen.join(", ")}`,
  ).toBe(true);

  await expect(page.getByRole("heading", { name: "Your report is ready" })).toBeVisible();
  // A new profile's time zone is UTC, and the file name says whose days these are.
  const fileName = `offload-activity-${firstDay}-to-${today}-UTC.csv`;

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(fileName);
  const lines = (await readFile(await download.path(), "utf8")).trimEnd().split("\n");
  expect(lines[0]).toBe("occurred_at,type,actor,amount");

  // Every activity in the range, as SQL counts it, and the count the page shows.
  const [inRange] = await sql<{ count: number }[]>`
    select count(*)::int as count from public.activities
    where org_id = ${orgId} and occurred_at >= ${firstDay}::date and occurred_at < ${today}::date + 1`;
  expect(lines.length - 1).toBe(inRange?.count);
  await expect(page.getByRole("region", { name: "Status" })).toContainText(
    `${fileName} · ${(lines.length - 1).toLocaleString("en")} rows`,
  );

  // The reports page lists it as done.
  await page.goto("/dashboard/reports");
  await expect(page.getByRole("listitem").filter({ hasText: "All activity report" })).toContainText(
    "completed",
  );
});

/** Downloads the job page's CSV and returns its lines, header first. */
async function downloadCsv(page: Page): Promise<string[]> {
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const download = await downloading;
  return (await readFile(await download.path(), "utf8")).trimEnd().split("\n");
}

test("reports over empty days, or with no rows at all, download in full", async ({ page }) => {
  const account = newAccount();
  await createAccount(page.request, account);
  // Activity on the first and the last day: the two days between are empty windows.
  await seedActivity(account.email, 30, "2026-07-01T08:00:00Z", "2026-07-01T20:00:00Z");
  await seedActivity(account.email, 20, "2026-07-04T08:00:00Z", "2026-07-04T20:00:00Z");
  const status = page.getByRole("region", { name: "Status" });

  await requestReport(page, "All activity", { from: "2026-07-01", to: "2026-07-04" });
  await expect(page.getByRole("heading", { name: "Your report is ready" })).toBeVisible();
  const activity = await downloadCsv(page);
  expect(activity[0]).toBe("occurred_at,type,actor,amount");
  expect(activity).toHaveLength(1 + 50);

  // A summary's rows are days and types; the activities they count are another number.
  await requestReport(page, "Daily summary", { from: "2026-07-01", to: "2026-07-04" });
  await expect(page.getByRole("heading", { name: "Your report is ready" })).toBeVisible();
  const summary = await downloadCsv(page);
  expect(summary[0]).toBe("day,type,count,total_amount");
  await expect(status).toContainText(`${summary.length - 1} rows summarising 50 activities`);

  await requestReport(page, "All activity", { from: "2026-05-01", to: "2026-05-03" });
  await expect(page.getByRole("heading", { name: "Your report is ready" })).toBeVisible();
  await expect(status).toContainText("0 rows");
  expect(await downloadCsv(page)).toEqual(["occurred_at,type,actor,amount"]);
});

test("a user who leaves is emailed a link to the finished report", async ({ page }) => {
  const { account } = await signUpWithActivity(page, MORE_ROWS);
  const jobId = await requestReport(page, "All activity");

  // e2e sets REPORT_EMAIL_OFFER_AFTER_SECONDS to 2, well before the report is done. Until
  // accepted it is an offer, not a promise.
  await expect(page.getByText("Want an email when it's ready?")).toBeVisible();
  await expect(page.getByText("We'll email you")).toHaveCount(0);
  await page.getByRole("button", { name: "Email me when it's ready" }).click();
  const dialog = page.getByRole("dialog", { name: "Email you when it's ready?" });
  await expect(dialog).toContainText(account.email);
  await dialog.getByRole("button", { name: "Email me" }).click();
  await expect(
    page.getByText(`We'll email you at ${account.email} when it's ready.`),
  ).toBeVisible();
  const [job] = await sql<{ notify_by_email: boolean }[]>`
    select notify_by_email from public.jobs where id = ${jobId}`;
  expect(job?.notify_by_email).toBe(true);

  // Leave for the inbox, and wait there for the email.
  await page.goto(urls.mail);
  await page.getByLabel("Recipient").fill(account.email);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("link", { name: "Your report is ready" })).toBeVisible({
      timeout: 1_000,
    });
  }).toPass({ timeout: 60_000 });

  await page.getByRole("link", { name: "Your report is ready" }).click();
  const body = page.frameLocator('iframe[title="HTML part of the email"]');
  const link = body.getByRole("link", { name: "Open the report" });
  await expect(link).toHaveAttribute("href", `${urls.app}/dashboard/jobs/${jobId}`);

  await page.goto((await link.getAttribute("href"))!);
  await expect(page.getByRole("heading", { name: "Your report is ready" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Download CSV" })).toBeVisible();
});

test("a running report can be cancelled", async ({ page }) => {
  await signUpWithActivity(page, ROWS);
  const jobId = await requestReport(page, "All activity");

  // Running: past its first step.
  const bar = page.getByRole("progressbar", { name: "Progress" });
  await expect
    .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { intervals: [100] })
    .toBeGreaterThan(0);

  await page.getByRole("button", { name: "Cancel report" }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel this report?" });
  await expect(dialog).toContainText("Work done so far is discarded.");
  await dialog.getByRole("button", { name: "Cancel report" }).click();

  await expect(page.getByRole("heading", { name: "This report was cancelled" })).toBeFocused();
  await expect(page.getByRole("status").filter({ hasText: "Cancelled." })).toBeAttached();
  await expect(page.getByRole("button", { name: "Request again" })).toBeVisible();
  const [job] = await sql<{ status: string }[]>`select status from public.jobs where id = ${jobId}`;
  expect(job?.status).toBe("cancelled");
});
