import { expect, test } from "@playwright/test";
import { subDays } from "date-fns";
import { createAccount, isoDay, newAccount, unsubscribeToken } from "./helpers";
import { sql } from "./sql";

test("the dashboard names recent jobs as the jobs list does", async ({ page }) => {
  const account = newAccount();
  await createAccount(page.request, account);
  await page.goto("/dashboard");
  const recent = page.getByRole("region", { name: "Recent jobs" });
  await expect(recent.getByRole("link", { name: /Welcome email/ })).toBeVisible();
  await expect(recent).not.toContainText("welcome-email");
});

test("a report's page is under Reports, and that is the tab lit", async ({ page }) => {
  const account = newAccount();
  await createAccount(page.request, account);
  await page.goto("/dashboard/reports");
  await page.getByLabel("From", { exact: true }).fill(isoDay(subDays(new Date(), 2)));
  await page.getByLabel("To", { exact: true }).fill(isoDay(new Date()));
  await page.getByRole("button", { name: "Request report" }).click();
  await expect(page).toHaveURL(/\/dashboard\/reports\/[0-9a-f-]{36}$/);
  const reportPath = new URL(page.url()).pathname;

  const tabs = page.getByRole("navigation", { name: "Dashboard" });
  await expect(tabs.getByRole("link", { name: "Reports" })).toHaveAttribute("aria-current", "true");
  await expect(tabs.getByRole("link", { name: "Jobs" })).not.toHaveAttribute("aria-current", /.*/);
  await expect(page.getByRole("link", { name: "Reports", exact: true }).last()).toHaveAttribute("href", "/dashboard/reports");

  // An old link (the Jobs address) leads to the same page, under Reports.
  const id = reportPath.split("/").at(-1)!;
  await page.goto(`/dashboard/jobs/${id}`);
  await expect(page).toHaveURL(reportPath);
  // The Jobs list links reports there too.
  await page.goto("/dashboard/jobs");
  await expect(page.getByRole("link", { name: /report/ }).first()).toHaveAttribute("href", reportPath);
});

test("after unsubscribing, the settings are a link away", async ({ page }) => {
  const account = newAccount();
  await createAccount(page.request, account);
  const [profile] = await sql<{ id: string }[]>`select id from public.profiles where email = ${account.email}`;
  // Sign the link as lib/digest/unsubscribe.ts does (server-only, so not importable here),
  // with the e2e app's secret.

  await page.goto(`/unsubscribe?token=${encodeURIComponent(unsubscribeToken(profile!.id))}`);
  await page.getByRole("button", { name: "Unsubscribe from the daily digest" }).click();
  const settings = page.getByRole("link", { name: "your settings" });
  await expect(settings).toHaveAttribute("href", "/dashboard/settings");
  await settings.click();
  await expect(page).toHaveURL("/dashboard/settings");
});

test("pages have an icon, and ask for nothing that isn't there", async ({ page }) => {
  const account = newAccount();
  await createAccount(page.request, account);
  const missing: string[] = [];
  page.on("response", (response) => {
    if (response.status() === 404) missing.push(response.url());
  });
  for (const path of ["/", "/sign-in", "/dashboard", "/dashboard/settings"]) {
    await page.goto(path);
    await page.waitForLoadState("load");
  }
  const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(icon).toBeTruthy();
  expect((await page.request.get(icon!)).status()).toBe(200);
  expect(missing).toEqual([]);
});
