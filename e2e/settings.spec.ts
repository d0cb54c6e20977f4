import { expect, test } from "@playwright/test";
import { createAccount, newAccount, signUpAndConfirm } from "./helpers";
import { sql } from "./sql";

// A zone of the browser's own that differs from a new profile's UTC.
test.use({ timezoneId: "Asia/Tokyo" });

test("settings: turn on the digest, choose a time zone and a name, and they stay saved", async ({ page }) => {
  const account = newAccount();
  await signUpAndConfirm(page, account);
  await expect(page).toHaveURL("/dashboard");

  const nav = page.getByRole("navigation", { name: "Dashboard" });
  await nav.getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL("/dashboard/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Settings" })).toHaveAttribute("aria-current", "page");

  const name = page.getByLabel("Display name");
  const timeZone = page.getByLabel("Time zone");
  const digest = page.getByRole("checkbox", { name: "Daily digest" });
  await expect(name).toHaveValue(account.displayName);
  await expect(timeZone).toHaveValue("UTC");
  await expect(digest).not.toBeChecked();
  await expect(digest).toHaveAccessibleDescription(/each morning at 08:00 in your time zone/);

  await page.getByRole("button", { name: "Use my browser's time zone (Asia/Tokyo)" }).click();
  await expect(timeZone).toHaveValue("Asia/Tokyo");
  await expect(timeZone).toBeFocused();

  await timeZone.selectOption("America/Sao_Paulo");
  await digest.check();
  await name.fill("  Grace Hopper ");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();
  await expect(name).toHaveValue("Grace Hopper");

  await page.reload();
  await expect(name).toHaveValue("Grace Hopper");
  await expect(timeZone).toHaveValue("America/Sao_Paulo");
  await expect(digest).toBeChecked();
  await expect(page.getByRole("banner").getByText("Grace Hopper")).toBeVisible();

  const [row] = await sql<{ display_name: string; time_zone: string; digest_opt_in: boolean }[]>`
    select display_name, time_zone, digest_opt_in from public.profiles where email = ${account.email}`;
  expect(row).toEqual({ display_name: "Grace Hopper", time_zone: "America/Sao_Paulo", digest_opt_in: true });
});

test("settings: a name that is too long is refused beside the field and nothing is saved", async ({ page }) => {
  const account = newAccount();
  // page.request shares the page's cookies, so this signs the page in too.
  await createAccount(page.request, account);
  await page.goto("/dashboard/settings");

  const name = page.getByLabel("Display name");
  await name.fill("x".repeat(101));
  await page.getByRole("button", { name: "Save settings" }).click();

  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toHaveAccessibleDescription("Use at most 100 characters.");
  await expect(name).toBeFocused();

  const [row] = await sql<{ display_name: string }[]>`
    select display_name from public.profiles where email = ${account.email}`;
  expect(row?.display_name).toBe(account.displayName);
});
