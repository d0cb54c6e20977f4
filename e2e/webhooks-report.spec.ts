import { randomUUID } from "node:crypto";
import { subDays } from "date-fns";
import { expect, test } from "@playwright/test";
import { createAccount, isoDay, newAccount, requestReport } from "./helpers";
import { seedActivity } from "./seed";
import { urls } from "./stack";

/**
 * Issue #17 end to end: an owner points an endpoint at the local webhook catcher, runs a
 * report, and finds both events delivered in the delivery log with their attempts, the
 * catcher verifying their signatures, and the report in the bell.
 */
test("a report's end reaches the local catcher, signed, and shows in the delivery log and the bell", async ({ page }) => {
  test.setTimeout(150_000);
  const owner = newAccount("Carla Catcher");
  await createAccount(page.request, owner);
  const today = isoDay(new Date());
  const from = isoDay(subDays(new Date(), 6));
  await seedActivity(owner.email, 300, `${from}T00:00:00Z`, new Date().toISOString());

  const path = `/offload-${randomUUID()}`;
  await page.goto("/dashboard/webhooks");
  await page.getByLabel("Endpoint URL").fill(`${urls.webhooks}${path}`);
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const secret = await page.getByRole("region", { name: /Signing secret/ }).getByLabel("Signing secret").inputValue();
  expect(secret).toMatch(/^whsec_/);
  await page.getByRole("button", { name: "I've saved it" }).click();

  // The catcher checks signatures with the secret a developer pastes for the path.
  const catcher = await page.context().newPage();
  await catcher.goto(urls.webhooks);
  await catcher.getByLabel("Path", { exact: true }).fill(path);
  await catcher.getByLabel("Secret", { exact: true }).fill(secret);
  await catcher.getByRole("button", { name: "Save secret" }).click();

  const jobId = await requestReport(page, "All activity", { from, to: today });
  await expect(page.getByRole("heading", { name: "Your report is ready" })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("button", { name: /^Notifications/ })).toHaveAccessibleName("Notifications, 1 unread");

  // The delivery log: one message per event, each delivered on its first attempt.
  await page.goto("/dashboard/webhooks");
  await page.getByRole("listitem", { name: `${urls.webhooks}${path}` }).getByRole("link", { name: /delivery log/i }).click();
  const messages = page.getByRole("list", { name: "Messages" });
  for (const type of ["job.completed", "report.ready"]) {
    const message = messages.getByRole("listitem", { name: `${type}, Delivered` });
    await expect(message).toBeVisible({ timeout: 60_000 });
    await expect(message).toContainText("1 attempt");
    await message.getByRole("button", { expanded: false }).click();
    const attempts = message.getByRole("table", { name: "Attempts to deliver this message" });
    await expect(attempts.getByRole("row").nth(1)).toContainText("200");
    await expect(attempts.getByRole("row").nth(1)).toContainText("delivered");
  }
  await expect(messages.getByRole("listitem")).toHaveCount(2);

  // What the catcher received: both messages, about this job, and both signatures verify.
  const caught = await page.request.get(`${urls.webhooks}/api/messages?path=${encodeURIComponent(path)}`);
  const { messages: received } = (await caught.json()) as { messages: { body: string; signature: string }[] };
  expect(received.map((m) => (JSON.parse(m.body) as { type: string }).type).sort()).toEqual(["job.completed", "report.ready"]);
  for (const message of received) {
    expect(message.signature).toBe("verified");
    expect(JSON.parse(message.body)).toMatchObject({ data: { job: { id: jobId, status: "completed" } } });
  }
  await catcher.reload();
  await expect(catcher.getByRole("region", { name: "Messages" }).getByText("verified")).toHaveCount(2);
});
