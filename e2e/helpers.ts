import { expect, type APIRequestContext, type Page } from "@playwright/test";

/** An address no other test (or earlier run against the same database) has used. */
export function uniqueEmail(): string {
  return `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export type Account = { email: string; password: string; displayName: string };

export function newAccount(displayName = "Ada Lovelace"): Account {
  return { email: uniqueEmail(), password: "correct-horse-battery", displayName };
}

/** Creates an account through the API, outside the page's browser session. */
export async function createAccount(request: APIRequestContext, account: Account): Promise<void> {
  const response = await request.post("/api/auth/sign-up", { data: account });
  expect(response.status()).toBe(201);
}

/** Fills and submits the sign-up form, as a visitor would; blank fields stay blank. */
export async function signUp(page: Page, account: Partial<Account>): Promise<void> {
  await page.goto("/sign-up");
  if (account.displayName) await page.getByLabel("Name (optional)").fill(account.displayName);
  await page.getByLabel("Email").fill(account.email ?? "");
  await page.getByLabel("Password").fill(account.password ?? "");
  await page.getByRole("button", { name: "Create account" }).click();
}
