import { expect, test } from "@playwright/test";
import { authEmails, authLinkFor, createAccount, newAccount } from "./helpers";
import { sql } from "./sql";
import { urls } from "./stack";

/** The status of the welcome email job of the user with this address. */
async function welcomeJobStatus(email: string): Promise<string | undefined> {
  const [job] = await sql<{ status: string }[]>`
    select j.status from public.jobs j join public.profiles p on p.id = j.user_id
    where p.email = ${email} and j.type = 'welcome-email'`;
  return job?.status;
}

test("an admin finds a failed job, replays it, and sees it complete", async ({ page, request }) => {
  // The operator signs up (page.request shares the page's cookies, so the page is signed in)
  // and is made a platform admin, as an operator would do it: outside the app.
  const admin = newAccount("Olive Operator");
  await createAccount(page.request, admin);
  await sql`insert into public.platform_admins (user_id) select id from public.profiles where email = ${admin.email}`;
  // Their own welcome email must be out of the way before Resend starts refusing.
  await expect.poll(() => welcomeJobStatus(admin.email), { timeout: 30_000 }).toBe("completed");

  // Resend refuses the next email to a new user (422: not retried) once they have confirmed
  // their address (that email goes first): their welcome.
  const user = newAccount("Vic Tim");
  expect((await request.post("/api/auth/sign-up", { data: user })).status()).toBe(201);
  const confirmation = await authLinkFor(request, user.email, authEmails.confirmation);
  await fetch(`${urls.mail}/_devstack/fail`, {
    method: "POST",
    body: JSON.stringify({ count: 1, status: 422, message: "Invalid `to` field.", to: user.email }),
  });
  expect((await request.get(confirmation)).ok()).toBe(true);
  await expect.poll(() => welcomeJobStatus(user.email), { timeout: 30_000 }).toBe("failed");
  await fetch(`${urls.mail}/_devstack/fail`, { method: "DELETE" });

  // The admin finds it among the dead letters, with its error.
  await page.goto("/dashboard");
  await page.getByRole("link", { name: "Admin", exact: true }).click();
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Dead letters" }).click();
  // Wait for the page itself: the overview it leaves has a "Job type" control too.
  await expect(page.getByRole("heading", { level: 1, name: "Dead letters" })).toBeVisible();
  await page.getByLabel("Type", { exact: true }).selectOption("welcome-email");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/type=welcome-email/);
  const row = page.getByRole("row").filter({ hasText: user.email });
  await expect(row).toContainText("Invalid `to` field.");
  await expect(row).toContainText("1 of 5");
  await row.getByRole("link", { name: /welcome-email job/ }).click();

  // Its page: the error, the payload, and Replay.
  await expect(page.getByRole("heading", { level: 1, name: "welcome-email" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Error" })).toContainText("Resend rejected the welcome email (422)");
  await expect(page.getByRole("region", { name: "Payload" })).toContainText(user.email);
  const failedUrl = page.url();
  await page.getByRole("button", { name: "Replay", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Replay this job?" });
  await expect(dialog).toContainText("app/user.signed_up");
  await dialog.getByRole("button", { name: "Replay job" }).click();

  // The replay is a new job, linked to the failed one, and the admin watches it complete.
  await expect(page).not.toHaveURL(failedUrl);
  await expect(page).toHaveURL(/\/admin\/dead-letters\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("status").filter({ hasText: "completed" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("link", { name: "the failed job" })).toHaveAttribute("href", new URL(failedUrl).pathname);
  const jobs = await sql<{ status: string; replay_of: string | null }[]>`
    select j.status, j.replay_of from public.jobs j join public.profiles p on p.id = j.user_id
    where p.email = ${user.email} and j.type = 'welcome-email' order by j.seq`;
  expect(jobs.map((job) => job.status)).toEqual(["failed", "completed"]);

  // The failed job now says where its replay is; the audit log says who replayed it.
  await page.goto(failedUrl);
  await expect(page.getByRole("link", { name: "See the replay" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Replay", exact: true })).toHaveCount(0);
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("row").filter({ hasText: "Replayed a job" }).first()).toContainText(admin.email);
});
