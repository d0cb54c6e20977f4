import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { authEmails, isoDay, newAccount, openLinkFromInbox, recordCspViolations, requestReport, signUp } from "./helpers";
import { sql } from "./sql";

/**
 * The pages' Content-Security-Policy allows exactly what the app loads: walking through
 * every kind of page (static and rendered, the forms, a running report's progress bar, the
 * admin charts drawn by uPlot, the 404 page) blocks nothing, and everything works.
 */
test("the policy blocks nothing the app itself loads", async ({ page }) => {
  const violations = await recordCspViolations(page);
  const account = newAccount("Cass Policy");

  await page.goto("/");
  // A page prerendered at build time: its scripts must run too (the form answers in place).
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(account.email);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByText("a link to reset its password is on its way")).toBeVisible();
  await page.goto("/no-such-page");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  await signUp(page, account);
  await expect(page.getByText(`Check your inbox for a link to confirm ${account.email}`)).toBeVisible();
  await openLinkFromInbox(page, account.email, authEmails.confirmation, "Confirm your email and sign in");
  await expect(page).toHaveURL("/dashboard");
  expect(await violations()).toEqual([]);

  const today = isoDay(new Date());
  await requestReport(page, "All activity", { from: today, to: today });
  await expect(page.getByRole("progressbar")).toBeVisible();
  await page.goto("/dashboard/settings");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await violations()).toEqual([]);

  const [profile] = await sql<{ id: string; org_id: string }[]>`
    select p.id, m.org_id from public.profiles p join public.memberships m on m.user_id = p.id where p.email = ${account.email}`;
  await sql`insert into public.platform_admins (user_id) values (${profile!.id})`;
  const type = `csp-${randomBytes(3).toString("hex")}`;
  await sql`
    insert into public.jobs (org_id, type, status, created_at, failed_at)
    select ${profile!.org_id}, ${type}, 'failed', now() - interval '5 seconds', now() - interval '1 second'
    from generate_series(1, 3)`;
  await page.goto("/admin?window=1h");
  await page.getByRole("combobox", { name: "Job type" }).selectOption(type);
  await expect(page.getByRole("figure").filter({ hasText: "Jobs finished" }).locator("canvas")).toBeVisible();
  await page.goto("/admin/dead-letters");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await violations()).toEqual([]);
});
