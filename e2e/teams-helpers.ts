import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { urls } from "./stack";

/** The header's organisation switcher (its name starts with the current organisation's). */
export const switcher = (page: Page) => page.getByRole("banner").getByRole("button", { name: /^Organisation: / });

/** Switches organisation through the header, as a user would, and waits for the header to say so. */
export async function switchTo(page: Page, organisation: string): Promise<void> {
  await switcher(page).click();
  await page.getByRole("banner").getByRole("button", { name: new RegExp(`^${organisation}`) }).click();
  await expect(switcher(page)).toHaveAccessibleName(new RegExp(`^Organisation: ${organisation}`));
}

/** The jobs listed on /dashboard/jobs, as links to their pages. */
export const jobLink = (page: Page, id: string) => page.getByRole("main").locator(`a[href$="/${id}"]`);

type OutboxEmail = { subject: string; html?: string };

/**
 * The first link in an email to `email` that `find` picks out of its HTML, read through
 * the outbox's API; emails are sent in the background, so it waits for one.
 */
async function linkInOutbox(
  request: APIRequestContext,
  email: string,
  find: (mail: OutboxEmail) => string | undefined,
  timeout = 45_000,
): Promise<string> {
  let href: string | undefined;
  await expect
    .poll(
      async () => {
        const response = await request.get(`${urls.mail}/_devstack/emails?to=${encodeURIComponent(email)}`);
        const { data } = (await response.json()) as { data: OutboxEmail[] };
        href = data.map(find).find((found) => found !== undefined)?.replaceAll("&amp;", "&");
        return href;
      },
      { timeout },
    )
    .toBeTruthy();
  return href!;
}

/** An invitation link emailed to `email` other than those in `seen` (a re-sent invitation's new one). */
export function invitationLinkFor(request: APIRequestContext, email: string, ...seen: string[]): Promise<string> {
  return linkInOutbox(request, email, (mail) => {
    const href = /href="([^"]*\/invitations\/[^"]+)"/.exec(mail.html ?? "")?.[1];
    return href && !seen.includes(href.replaceAll("&amp;", "&")) ? href : undefined;
  });
}

/**
 * The dashboard link in the email to `email` with `subject` (a report's "ready" or
 * "failed"), waiting as long as a big report may run.
 */
export function dashboardLinkFor(request: APIRequestContext, email: string, subject: string): Promise<string> {
  return linkInOutbox(
    request,
    email,
    (mail) => (mail.subject === subject ? /href="([^"]*\/dashboard\/[^"]+)"/.exec(mail.html ?? "")?.[1] : undefined),
    90_000,
  );
}

/**
 * Makes a team through the API as `owner` (signed in through `owner`'s request context),
 * which becomes their current organisation, and answers its id.
 */
export async function createTeam(owner: APIRequestContext, name: string, slug: string): Promise<string> {
  const created = await owner.post("/api/organisations", { data: { name, slug } });
  expect(created.status()).toBe(201);
  const { organisation } = (await created.json()) as { organisation: { id: string } };
  return organisation.id;
}

/**
 * Brings `member` (signed in through their request context, with address `email`) into
 * the team through an emailed invitation from `owner`, through the API: the flow itself
 * is e2e/teams.spec.ts's. The team becomes the member's current organisation.
 */
export async function joinTeam(
  owner: APIRequestContext,
  member: APIRequestContext,
  { orgId, email, role = "member" }: { orgId: string; email: string; role?: "admin" | "member" },
): Promise<void> {
  const invited = await owner.post(`/api/organisations/${orgId}/invitations`, { data: { email, role } });
  expect(invited.status()).toBe(201);
  const token = new URL(await invitationLinkFor(member, email)).pathname.split("/").at(-1)!;
  const accepted = await member.post("/api/invitations/accept", { data: { token } });
  expect(accepted.status()).toBe(200);
}
