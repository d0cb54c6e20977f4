import { expect, test, type Page } from "@playwright/test";
import { createAccount, newAccount, signUp, uniqueEmail, type Account } from "./helpers";

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

test("sign up, sign out, and sign in again", async ({ page }) => {
  const account = newAccount();

  await signUp(page, account);
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

test("a taken email is refused and the original account keeps its password", async ({
  page,
  request,
}) => {
  const account = newAccount();
  await createAccount(request, account);

  await signUp(page, { email: account.email, password: "another-password" });
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription(
    "An account with this email already exists.",
  );
  await expect(page).toHaveURL("/sign-up");

  await page.goto("/sign-in");
  await signIn(page, { email: account.email, password: "another-password" });
  await expect(formAlert(page, "Email or password is incorrect.")).toBeVisible();

  await signIn(page, account);
  await expectDashboardOf(page, account);
});
