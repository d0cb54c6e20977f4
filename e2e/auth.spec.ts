import { expect, test, type Page } from "@playwright/test";
import {
  authEmails,
  createAccount,
  newAccount,
  openLinkFromInbox,
  signUp,
  signUpAndConfirm,
  uniqueEmail,
  type Account,
} from "./helpers";
import { sql } from "./sql";

async function signIn(page: Page, { email, password }: Pick<Account, "email" | "password">) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function expectDashboardOf(page: Page, account: Account) {
  await expect(page).toHaveURL("/dashboard");
  await expect(
    page.getByRole("heading", { level: 1, name: `Welcome, ${account.displayName}` }),
  ).toBeVisible();
}

function formAlert(page: Page, text: string) {
  // Next's route announcer is an alert too; pick ours by its text.
  return page.getByRole("alert").filter({ hasText: text });
}

test("sign up, confirm through the inbox, sign out, and sign in again", async ({ page }) => {
  const account = newAccount();

  // Email confirmation is on, as on hosted projects: no session until the link is opened.
  await signUp(page, account);
  await expect(page.getByText(`Check your inbox for a link to confirm ${account.email}`)).toBeVisible();
  // The form that had focus is gone: focus lands on the news.
  await expect(page.getByRole("heading", { name: "Confirm your email" })).toBeFocused();
  await page.goto("/dashboard");
  await expect(page).toHaveURL("/sign-in?next=%2Fdashboard");
  await signIn(page, account);
  await expect(formAlert(page, "Confirm your email address first")).toBeVisible();
  // ...with a way to get the link again right there.
  await expect(page.getByRole("button", { name: "Resend the email" })).toBeVisible();

  await openLinkFromInbox(page, account.email, authEmails.confirmation, "Confirm your email and sign in");
  await expectDashboardOf(page, account);
  await expect(page.getByText(`${account.displayName}'s workspace`).first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Recent jobs" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL("/sign-in");

  // The dashboard is closed now, and sign-in leads back to where the visitor was going.
  await page.goto("/dashboard");
  await expect(page).toHaveURL("/sign-in?next=%2Fdashboard");
  await signIn(page, account);
  await expectDashboardOf(page, account);
});

test("asking for the confirmation email again at once says a link is on its way", async ({ page }) => {
  const account = newAccount();
  await signUp(page, account);
  // Within Auth's minute nothing new is sent, but the answer is the same as when it is, so
  // it can't tell anyone the address has an account: news, not an error.
  await page.getByRole("button", { name: "Resend the email" }).click();
  await expect(page.getByRole("status").filter({ hasText: `A link is on its way to ${account.email}` })).toBeVisible();
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
});

test("a used or wrong confirmation link says what happened and offers a new one", async ({ page }) => {
  const account = newAccount();
  await signUpAndConfirm(page, account);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL("/sign-in");

  await openLinkFromInbox(page, account.email, authEmails.confirmation, "Confirm your email and sign in");
  await expect(page).toHaveURL(/\/auth\/error\?reason=expired/);
  await expect(page.getByText("This link has expired or was already used.")).toBeVisible();

  await page.goto("/auth/confirm?token_hash=not-a-token&type=email");
  await expect(page.getByRole("heading", { name: "This link didn't work" })).toBeVisible();
  await page.getByLabel("Email").fill(account.email);
  await page.getByRole("button", { name: "Resend the email" }).click();
  // Confirmed already: the same answer as for anyone, and no new email.
  await expect(page.getByRole("status").filter({ hasText: "a new link is on its way" })).toBeVisible();
});

test("forgot password: the emailed link sets a new one, and only the new one works", async ({ page, request }) => {
  const account = newAccount();
  await createAccount(request, account);

  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL("/forgot-password");
  await page.getByLabel("Email").fill(account.email);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByRole("status").filter({ hasText: `if ${account.email} has an account` })).toBeVisible();

  await openLinkFromInbox(page, account.email, authEmails.recovery, "Choose a new password");
  await expect(page).toHaveURL("/reset-password");
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  const field = page.getByLabel("New password");
  await field.fill("short");
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(field).toHaveAccessibleDescription("Use at least 8 characters.");

  await field.fill("a-brand-new-secret");
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your password was changed." })).toBeVisible();
  await page.getByRole("link", { name: "Go to your dashboard" }).click();
  await expect(page).toHaveURL("/dashboard");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL("/sign-in");

  await signIn(page, account);
  await expect(formAlert(page, "Email or password is incorrect.")).toBeVisible();
  await signIn(page, { email: account.email, password: "a-brand-new-secret" });
  await expectDashboardOf(page, account);
});

test("changing the email goes through the inbox, and the profile shows the new one", async ({ page }) => {
  const account = newAccount();
  await createAccount(page.request, account);
  const newEmail = uniqueEmail();

  await page.goto("/dashboard/settings");
  await page.getByLabel("New email address").fill(newEmail);
  await page.getByRole("button", { name: "Change email" }).click();
  await expect(page.getByRole("status").filter({ hasText: `confirm the change to ${newEmail}` })).toBeVisible();

  // The devstack, like a hosted project with secure email change, mails the current address.
  await openLinkFromInbox(page, account.email, authEmails.emailChange, "Confirm the change");
  await expect(page).toHaveURL("/dashboard/settings");
  await expect(page.getByText(`You sign in as ${newEmail}.`)).toBeVisible();
  const rows = await sql<{ email: string }[]>`
    select email from public.profiles where email in (${account.email}, ${newEmail})`;
  expect(rows.map((row) => row.email)).toEqual([newEmail]);
});

test("a wrong password is refused with a clear message", async ({ page, request }) => {
  const account = newAccount();
  await createAccount(request, account);

  await page.goto("/sign-in");
  await signIn(page, { email: account.email, password: "not-the-password" });

  await expect(formAlert(page, "Email or password is incorrect.")).toBeVisible();
  await expect(page).toHaveURL("/sign-in");
});

test("a malformed email is refused and creates no account", async ({ page }) => {
  const email = `e2e-${Date.now()}@example`;
  await signUp(page, { email, password: "correct-horse-battery" });

  const emailField = page.getByLabel("Email");
  await expect(emailField).toHaveAttribute("aria-invalid", "true");
  await expect(emailField).toHaveAccessibleDescription("Enter a valid email address.");
  await expect(emailField).toBeFocused();
  await expect(page).toHaveURL("/sign-up");

  await page.goto("/sign-in");
  await signIn(page, { email, password: "correct-horse-battery" });
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription("Enter a valid email address.");
  await expect(page).toHaveURL("/sign-in");
});

test("a short password is refused and creates no account", async ({ page }) => {
  const email = uniqueEmail();
  await signUp(page, { email, password: "short" });

  await expect(page.getByLabel("Password")).toHaveAccessibleDescription(
    "Use at least 8 characters.",
  );
  await expect(page).toHaveURL("/sign-up");

  await page.goto("/sign-in");
  await signIn(page, { email, password: "short" });
  await expect(formAlert(page, "Email or password is incorrect.")).toBeVisible();
});

test("signing up with a taken email gives nothing away and the original account keeps its password", async ({
  page,
  request,
}) => {
  const account = newAccount();
  await createAccount(request, account);

  // As a hosted project answers: the same "check your inbox" as for a new address.
  await signUp(page, { email: account.email, password: "another-password" });
  await expect(page.getByText(`Check your inbox for a link to confirm ${account.email}`)).toBeVisible();

  await page.goto("/sign-in");
  await signIn(page, { email: account.email, password: "another-password" });
  await expect(formAlert(page, "Email or password is incorrect.")).toBeVisible();

  await signIn(page, account);
  await expectDashboardOf(page, account);
});
