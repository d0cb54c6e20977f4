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

  // The replay is a new job, shown as the replay of the failed one (not as a dead letter
  // with an error), and the admin watches it complete.
  await expect(page).not.toHaveURL(failedUrl);
  await expect(page).toHaveURL(/\/admin\/dead-letters\/[0-9a-f-]{36}$/);
  const replayUrl = page.url();
  await expect(page.getByRole("status").filter({ hasText: "completed" })).toBeVisible({ timeout: 30_000 });
  const failedPath = new URL(failedUrl).pathname;
  const breadcrumb = page.getByRole("navigation", { name: "Breadcrumb" });
  await expect(breadcrumb.getByRole("link", { name: "Failed job" })).toHaveAttribute("href", failedPath);
  await expect(breadcrumb.getByText("Its replay")).toHaveAttribute("aria-current", "page");
  const replayOf = page.getByRole("region", { name: "Replay of a failed job" });
  await expect(replayOf.getByRole("link", { name: "See the failed job" })).toHaveAttribute("href", failedPath);
  await expect(page.getByText("Only failed jobs can be replayed.")).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Details" })).not.toContainText("Replay\n");
  const jobs = await sql<{ id: string; status: string; replay_of: string | null }[]>`
    select j.id, j.status, j.replay_of from public.jobs j join public.profiles p on p.id = j.user_id
    where p.email = ${user.email} and j.type = 'welcome-email' order by j.seq`;
  expect(jobs.map((job) => job.status)).toEqual(["failed", "completed"]);
  const [failedJob, replayJob] = jobs;

  // The failed job now says where its replay is; the audit log says who replayed what, as what.
  await breadcrumb.getByRole("link", { name: "Failed job" }).click();
  await expect(page).toHaveURL(failedUrl);
  await expect(page.getByRole("link", { name: "See the replay" })).toHaveAttribute("href", new URL(replayUrl).pathname);
  await expect(page.getByRole("button", { name: "Replay", exact: true })).toHaveCount(0);
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit log" }).click();
  const entry = page.getByRole("row").filter({ hasText: "Replayed a job" }).filter({ hasText: failedJob!.id.slice(0, 8) });
  await expect(entry).toContainText(admin.email);
  await expect(entry.getByRole("listitem").filter({ hasText: "(failed job)" })).toContainText(failedJob!.id.slice(0, 8));
  await expect(entry.getByRole("listitem").filter({ hasText: "(replay)" })).toContainText(replayJob!.id.slice(0, 8));
  await entry.getByRole("link", { name: replayJob!.id.slice(0, 8) }).click();
  await expect(page).toHaveURL(replayUrl);
});
