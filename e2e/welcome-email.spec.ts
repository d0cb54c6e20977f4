import { expect, test } from "@playwright/test";
import { newAccount, signUpAndConfirm } from "./helpers";
import { urls } from "./stack";

test("a new user finds the welcome email in the local inbox", async ({ page }) => {
  const account = newAccount("Grace Hopper");

  await signUpAndConfirm(page, account);
  await expect(page).toHaveURL("/dashboard");

  // The devstack's inbox page, filtered by the new user's address.
  await page.goto(urls.mail);
  await page.getByLabel("Recipient").fill(account.email);
  await page.getByRole("button", { name: "Filter" }).click();
  // The email is sent in the background: reload until it has arrived.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("link", { name: "Welcome to Offload" })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });

  await page.getByRole("link", { name: "Welcome to Offload" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Welcome to Offload" })).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: account.email })).toBeVisible();
  const body = page.frameLocator('iframe[title="HTML part of the email"]');
  await expect(body.getByRole("heading", { name: `Welcome, ${account.displayName}` })).toBeVisible();
  await expect(body.getByRole("link", { name: "Open your dashboard" })).toHaveAttribute(
    "href",
    `${urls.app}/dashboard`,
  );

  // The job behind it is mirrored and shown on the dashboard.
  await page.goto("/dashboard");
  await expect(page.getByRole("listitem").filter({ hasText: "Welcome email" })).toContainText("completed");
});
