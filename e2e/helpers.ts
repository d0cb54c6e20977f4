import { createHmac } from "node:crypto";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { appEnv, urls } from "./stack";

/**
 * The token of a user's unsubscribe link, signed with the e2e app's secret as
 * lib/digest/unsubscribe.ts signs it (that module is server-only, so a spec can't import it).
 */
export function unsubscribeToken(userId: string): string {
  const secret = appEnv.UNSUBSCRIBE_SECRET;
  if (!secret) throw new Error("The e2e app's environment has no UNSUBSCRIBE_SECRET (.env.development)");
  return `${userId}.${createHmac("sha256", secret).update(`unsubscribe:${userId}`).digest("base64url")}`;
}

/** An address no other test (or earlier run against the same database) has used. */
export function uniqueEmail(): string {
  return `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export type Account = { email: string; password: string; displayName: string };

export function newAccount(displayName = "Ada Lovelace"): Account {
  return { email: uniqueEmail(), password: "correct-horse-battery", displayName };
}

/** The subjects of Supabase Auth's emails (supabase/config.toml). */
export const authEmails = {
  confirmation: "Confirm your Offload account",
  recovery: "Reset your Offload password",
  emailChange: "Confirm your new email address",
} as const;

/**
 * The /auth/confirm link of the newest Auth email to `email` with `subject`, read through
 * the outbox's API. Supabase Auth sends before it answers, so it is there already.
 */
export async function authLinkFor(request: APIRequestContext, email: string, subject: string): Promise<string> {
  const response = await request.get(`${urls.mail}/_devstack/emails?to=${encodeURIComponent(email)}`);
  const { data } = (await response.json()) as { data: { subject: string; html?: string }[] };
  const html = data.find((mail) => mail.subject === subject)?.html ?? "";
  const href = /href="([^"]*\/auth\/confirm\?[^"]*)"/.exec(html)?.[1];
  if (!href) throw new Error(`no "${subject}" email with a confirmation link to ${email}`);
  return href.replaceAll("&amp;", "&");
}

/**
 * Creates a confirmed account the way its owner would: signs up through the API, then
 * opens the confirmation link from the email. `request` keeps the session that gives
 * (`page.request` signs the page in too).
 */
export async function createAccount(request: APIRequestContext, account: Account): Promise<void> {
  const response = await request.post("/api/auth/sign-up", { data: account });
  expect(response.status()).toBe(201);
  const confirmed = await request.get(await authLinkFor(request, account.email, authEmails.confirmation));
  expect(confirmed.ok()).toBe(true);
}

/**
 * Opens the newest Auth email to `email` with `subject` in the local inbox page, as a
 * person reading their mail, and follows its link in the page.
 */
export async function openLinkFromInbox(page: Page, email: string, subject: string, linkName: string): Promise<void> {
  await page.goto(urls.mail);
  await page.getByLabel("Recipient").fill(email);
  await page.getByRole("button", { name: "Filter" }).click();
  await page.getByRole("link", { name: subject }).first().click();
  // The email's HTML is shown in a sandboxed frame; open its link in the page itself.
  const link = page.frameLocator('iframe[title="HTML part of the email"]').getByRole("link", { name: linkName });
  const href = await link.getAttribute("href");
  if (!href) throw new Error(`"${linkName}" has no address`);
  await page.goto(href);
}

/** Signs up through the form, then confirms through the inbox: ends signed in on the dashboard. */
export async function signUpAndConfirm(page: Page, account: Account): Promise<void> {
  await signUp(page, account);
  await expect(page.getByText(`Check your inbox for a link to confirm ${account.email}`)).toBeVisible();
  await openLinkFromInbox(page, account.email, authEmails.confirmation, "Confirm your email and sign in");
  await expect(page).toHaveURL("/dashboard");
}

/** Fills and submits the sign-up form, as a visitor would; blank fields stay blank. */
export async function signUp(page: Page, account: Partial<Account>): Promise<void> {
  await page.goto("/sign-up");
  if (account.displayName) await page.getByLabel("Name (optional)").fill(account.displayName);
  await page.getByLabel("Email").fill(account.email ?? "");
  await page.getByLabel("Password").fill(account.password ?? "");
  await page.getByRole("button", { name: "Create account" }).click();
}

/** A day as the report form takes it (UTC). */
export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** Fills in the report form and submits it; resolves on the new job's page with its id. */
export async function requestReport(
  page: Page,
  kind: "All activity" | "Daily summary",
  range: { from: string; to: string },
): Promise<string> {
  await page.goto("/dashboard/reports");
  await page.getByRole("radio", { name: kind }).check();
  await page.getByLabel("From", { exact: true }).fill(range.from);
  await page.getByLabel("To", { exact: true }).fill(range.to);
  await page.getByRole("button", { name: "Request report" }).click();
  await expect(page).toHaveURL(/\/dashboard\/reports\/[0-9a-f-]{36}$/);
  return page.url().split("/").at(-1)!;
}

/**
 * Starts recording what the page's Content-Security-Policy blocks: `securitypolicyviolation`
 * events (from the first script on, in every frame the page opens) and the console errors
 * Chromium logs for them. Call before the first `goto`; the returned function says what was
 * blocked so far, so a test can expect it to be empty.
 */
export async function recordCspViolations(page: Page): Promise<() => Promise<string[]>> {
  const logged: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) logged.push(message.text());
  });
  await page.addInitScript(() => {
    const store = window as unknown as { __cspViolations?: string[] };
    store.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      store.__cspViolations?.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return async () => {
    const seen = await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
    return [...new Set([...seen, ...logged])];
  };
}
