import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { colorSchemes, expectNoAxeViolations } from "./axe";
import { authEmails, authLinkFor, createAccount, newAccount, unsubscribeToken, type Account } from "./helpers";
import { sql } from "./sql";
import { urls } from "./stack";

/**
 * axe (WCAG 2.1 A and AA) on every page of the app, in light and in dark: the app follows
 * the system's colour scheme, so both must hold. `find app -name page.tsx` lists the pages;
 * each is visited in the state a user sees most (a job page for a cancelled report and for
 * a failed email, a dead letter, a valid and an invalid unsubscribe link).
 */

type Fixtures = {
  user: Account;
  admin: Account;
  /** Owner of a team with a pending invitation, which is their current organisation. */
  owner: Account;
  invitationPath: string;
  /** The owner's welcome email: a job in their personal workspace, while they work in the team. */
  otherOrganisationJobId: string;
  cancelledReportId: string;
  failedJobId: string;
  unsubscribeToken: string;
};
let fixtures: Fixtures;

async function userId(email: string): Promise<string> {
  const [profile] = await sql<{ id: string }[]>`select id from public.profiles where email = ${email}`;
  if (!profile) throw new Error(`no profile for ${email}`);
  return profile.id;
}

async function jobOf(email: string, type: string, status: string): Promise<string | undefined> {
  const [job] = await sql<{ id: string }[]>`
    select j.id from public.jobs j join public.profiles p on p.id = j.user_id
    where p.email = ${email} and j.type = ${type} and j.status = ${status}`;
  return job?.id;
}

/** A report cancelled by its owner: asked for and cancelled at once, through the API. */
async function cancelledReport(request: APIRequestContext): Promise<string> {
  const today = new Date().toISOString().slice(0, 10);
  const asked = await request.post("/api/reports", { data: { kind: "activity", from: today, to: today } });
  expect(asked.status()).toBe(202);
  const { jobId } = (await asked.json()) as { jobId: string };
  expect((await request.post(`/api/jobs/${jobId}/cancel`)).ok()).toBe(true);
  return jobId;
}

/** The path of the newest invitation emailed to `email` (the job sends it in the background). */
async function invitationPathFor(request: APIRequestContext, email: string): Promise<string> {
  const find = async () => {
    const response = await request.get(`${urls.mail}/_devstack/emails?to=${encodeURIComponent(email)}`);
    const { data } = (await response.json()) as { data: { html?: string }[] };
    return data.map((mail) => /href="[^"]*(\/invitations\/[A-Za-z0-9_-]+)"/.exec(mail.html ?? "")?.[1]).find(Boolean);
  };
  await expect.poll(find, { timeout: 30_000 }).toBeTruthy();
  return (await find())!;
}

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(120_000);
  const userRequest = await playwright.request.newContext({ baseURL: urls.app });
  const adminRequest = await playwright.request.newContext({ baseURL: urls.app });
  const ownerRequest = await playwright.request.newContext({ baseURL: urls.app });
  try {
    const user = newAccount("Ada Lovelace");
    await createAccount(userRequest, user);
    const cancelledReportId = await cancelledReport(userRequest);

    // The admin's own welcome email is refused (422: not retried), so there is a dead letter.
    const admin = newAccount("Olive Operator");
    expect((await adminRequest.post("/api/auth/sign-up", { data: admin })).status()).toBe(201);
    const confirmation = await authLinkFor(adminRequest, admin.email, authEmails.confirmation);
    await fetch(`${urls.mail}/_devstack/fail`, {
      method: "POST",
      body: JSON.stringify({ count: 1, status: 422, message: "Invalid `to` field.", to: admin.email }),
    });
    expect((await adminRequest.get(confirmation)).ok()).toBe(true);
    await sql`insert into public.platform_admins (user_id) values (${await userId(admin.email)})`;
    await expect.poll(() => jobOf(admin.email, "welcome-email", "failed"), { timeout: 30_000 }).toBeTruthy();
    const failedJobId = (await jobOf(admin.email, "welcome-email", "failed"))!;

    // A team with a member and a pending invitation, for the team pages and the invitation's.
    const owner = newAccount("Tess Teamowner");
    await createAccount(ownerRequest, owner);
    const slug = `axe-${Date.now().toString(36)}`;
    const created = await ownerRequest.post("/api/organisations", { data: { name: "Axe Testers", slug } });
    expect(created.status()).toBe(201);
    const { organisation } = (await created.json()) as { organisation: { id: string } };
    const invitee = newAccount("Ines Invitee").email;
    const invited = await ownerRequest.post(`/api/organisations/${organisation.id}/invitations`, {
      data: { email: invitee, role: "admin" },
    });
    expect(invited.status()).toBe(201);
    const invitationPath = await invitationPathFor(ownerRequest, invitee);
    const ownJob = async () => {
      const [job] = await sql<{ id: string }[]>`
        select j.id from public.jobs j join public.profiles p on p.id = j.user_id
        where p.email = ${owner.email} and j.type = 'welcome-email' and j.org_id <> ${organisation.id}`;
      return job?.id;
    };
    await expect.poll(ownJob, { timeout: 30_000 }).toBeTruthy();
    const otherOrganisationJobId = (await ownJob())!;

    // The token the digest email links to (lib/digest/unsubscribe.ts says how it is made).
    const id = await userId(user.email);
    fixtures = { user, admin, owner, invitationPath, otherOrganisationJobId, cancelledReportId, failedJobId, unsubscribeToken: unsubscribeToken(id) };
  } finally {
    await fetch(`${urls.mail}/_devstack/fail`, { method: "DELETE" });
    await Promise.all([userRequest.dispose(), adminRequest.dispose(), ownerRequest.dispose()]);
  }
});

async function signIn(page: Page, account: Account): Promise<void> {
  const response = await page.request.post("/api/auth/sign-in", {
    data: { email: account.email, password: account.password },
  });
  expect(response.ok()).toBe(true);
}

/** The relative luminance (0 black, 1 white) of the page's background, whatever colour syntax it uses. */
function backgroundLuminance(page: Page): Promise<number> {
  return page.evaluate(() => {
    // A canvas turns any CSS colour (Tailwind's are oklch) into sRGB bytes.
    const context = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
    if (!context) throw new Error("no 2d canvas");
    context.fillStyle = getComputedStyle(document.body).backgroundColor;
    context.fillRect(0, 0, 1, 1);
    const [r = 0, g = 0, b = 0] = context.getImageData(0, 0, 1, 1).data;
    const linear = (byte: number) => (byte / 255 <= 0.04045 ? byte / 255 / 12.92 : ((byte / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  });
}

type Visit = { name: string; as: "visitor" | "user" | "admin" | "owner"; path: () => string };

const pages: Visit[] = [
  { name: "home", as: "visitor", path: () => "/" },
  { name: "sign in", as: "visitor", path: () => "/sign-in" },
  { name: "sign up", as: "visitor", path: () => "/sign-up" },
  { name: "forgot password", as: "visitor", path: () => "/forgot-password" },
  { name: "auth error", as: "visitor", path: () => "/auth/error" },
  { name: "unsubscribe", as: "visitor", path: () => `/unsubscribe?token=${encodeURIComponent(fixtures.unsubscribeToken)}` },
  { name: "unsubscribe, invalid link", as: "visitor", path: () => "/unsubscribe?token=not-a-token" },
  { name: "not found", as: "visitor", path: () => "/no-such-page" },
  { name: "an invitation", as: "visitor", path: () => fixtures.invitationPath },
  { name: "an unknown invitation", as: "visitor", path: () => "/invitations/not-a-real-token-at-all-0123456789" },
  { name: "dashboard", as: "user", path: () => "/dashboard" },
  { name: "jobs", as: "user", path: () => "/dashboard/jobs" },
  { name: "a cancelled report", as: "user", path: () => `/dashboard/jobs/${fixtures.cancelledReportId}` },
  { name: "a failed job", as: "admin", path: () => `/dashboard/jobs/${fixtures.failedJobId}` },
  { name: "a job in another of the viewer's organisations", as: "owner", path: () => `/dashboard/jobs/${fixtures.otherOrganisationJobId}` },
  { name: "reports", as: "user", path: () => "/dashboard/reports" },
  { name: "settings", as: "user", path: () => "/dashboard/settings" },
  { name: "team, personal workspace", as: "user", path: () => "/dashboard/team" },
  { name: "team", as: "owner", path: () => "/dashboard/team" },
  { name: "new team", as: "user", path: () => "/dashboard/teams/new" },
  { name: "an invitation, signed in as the owner", as: "owner", path: () => fixtures.invitationPath },
  { name: "reset password", as: "user", path: () => "/reset-password" },
  { name: "admin overview", as: "admin", path: () => "/admin" },
  { name: "dead letters", as: "admin", path: () => "/admin/dead-letters" },
  { name: "a dead letter", as: "admin", path: () => `/admin/dead-letters/${fixtures.failedJobId}` },
  { name: "audit log", as: "admin", path: () => "/admin/audit" },
  { name: "crons", as: "admin", path: () => "/admin/crons" },
];

for (const colorScheme of colorSchemes) {
  test.describe(`${colorScheme} mode`, () => {
    test.use({ colorScheme });

    for (const visit of pages) {
      test(`${visit.name} has no WCAG 2.1 AA violations`, async ({ page }) => {
        if (visit.as !== "visitor") await signIn(page, fixtures[visit.as]);
        await page.goto(visit.path());
        // Judge the page itself, not its loading skeleton: its heading is there, nothing busy.
        await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
        await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
        // The page follows the system's scheme (a light page passes axe in dark mode too).
        const luminance = await backgroundLuminance(page);
        if (colorScheme === "dark") expect(luminance, "a dark background").toBeLessThan(0.05);
        else expect(luminance, "a light background").toBeGreaterThan(0.9);
        await expectNoAxeViolations(page);
      });
    }
  });
}
