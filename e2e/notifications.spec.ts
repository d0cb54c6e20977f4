import { subDays } from "date-fns";
import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { createAccount, isoDay, newAccount, requestReport } from "./helpers";
import { seedActivity } from "./seed";

test("a finished report rings the bell; following it opens the report and reads it", async ({ page }) => {
  const account = newAccount("Grace Hopper");
  await createAccount(page.request, account);
  const today = isoDay(new Date());
  const from = isoDay(subDays(new Date(), 6));
  await seedActivity(account.email, 500, `${from}T00:00:00Z`, new Date().toISOString());

  await page.goto("/dashboard");
  const bell = page.getByRole("button", { name: /^Notifications/ });
  await expect(bell).toHaveAccessibleName("Notifications, none unread");

  const jobId = await requestReport(page, "All activity", { from, to: today });
  await expect(page.getByRole("heading", { name: "Your report is ready" })).toBeVisible({ timeout: 60_000 });
  // The page watched the job end, so the bell asks at once rather than at its next poll (15 s).
  await expect(bell).toHaveAccessibleName("Notifications, 1 unread");

  // Open, it passes axe; Escape closes it and gives focus back to the bell.
  await bell.click();
  await expect(bell).toHaveAttribute("aria-expanded", "true");
  const panel = page.getByRole("region", { name: "Notifications" });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole("listitem")).toHaveCount(1);
  await expectNoAxeViolations(page);
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  await expect(bell).toBeFocused();

  // Followed from another page, the notification opens the report and is read.
  await page.goto("/dashboard");
  await expect(bell).toHaveAccessibleName("Notifications, 1 unread");
  await bell.click();
  await panel.getByRole("link", { name: /Your report is ready/ }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/reports/${jobId}$`));
  await expect(bell).toHaveAccessibleName("Notifications, none unread");
  await expect(panel).toBeHidden();

  // Read on the server too: a fresh page load says so.
  await page.reload();
  await expect(bell).toHaveAccessibleName("Notifications, none unread");
  await bell.click();
  await expect(panel.getByRole("button", { name: "Mark all read" })).toHaveCount(0);
  await expect(panel.getByRole("link", { name: /Your report is ready/ })).toBeVisible();
});
