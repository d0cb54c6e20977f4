import { subDays } from "date-fns";
import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { createAccount, isoDay, newAccount, openLinkFromInbox, requestReport } from "./helpers";
import { sql } from "./sql";
import { urls } from "./stack";
import { createTeam, dashboardLinkFor, joinTeam, switcher, switchTo } from "./teams-helpers";

/**
 * The report emails link to the job's page, which follows the organisation the reader is
 * working in. A team member who has switched elsewhere since asking is shown whose report
 * it is and switched back in one click; someone no longer in the team still gets the 404.
 */

/** Enough that the report still runs after the email offer (2 s in e2e) and a click. */
const ROWS = 1_000_000;

test("a member who switched away opens the report email's link, switches back to the team from it and sees the report; once removed, it is a 404", async ({ browser }) => {
  test.setTimeout(180_000);
  const alice = newAccount("Alice Archer");
  const bob = newAccount("Bob Baker");
  const suffix = Math.random().toString(36).slice(2, 7);
  const team = `Relay ${suffix}`;
  const personal = `${bob.displayName}'s workspace`;
  const [aliceContext, bobContext] = await Promise.all([browser.newContext(), browser.newContext()]);
  const [alicePage, bobPage] = await Promise.all([aliceContext.newPage(), bobContext.newPage()]);

  try {
    // Alice's team, with Bob in it as a member (the invitation flow itself is teams.spec.ts's),
    // and enough activity that a report takes a while.
    await Promise.all([createAccount(alicePage.request, alice), createAccount(bobPage.request, bob)]);
    const teamId = await createTeam(alicePage.request, team, `relay-${suffix}`);
    await joinTeam(alicePage.request, bobPage.request, { orgId: teamId, email: bob.email });
    const today = new Date();
    await sql`select public.generate_activity(${teamId}, ${ROWS}, ${subDays(today, 89).toISOString()}::timestamptz, ${today.toISOString()}::timestamptz)`;

    // Bob asks for a report in the team, and to be emailed when it's ready.
    const reportId = await requestReport(bobPage, "All activity", { from: isoDay(subDays(today, 89)), to: isoDay(today) });
    await expect(switcher(bobPage)).toHaveAccessibleName(new RegExp(`^Organisation: ${team}`));
    await bobPage.getByRole("button", { name: "Email me when it's ready" }).click();
    await bobPage.getByRole("dialog", { name: "Email you when it's ready?" }).getByRole("button", { name: "Email me" }).click();
    await expect(bobPage.getByText(`We'll email you at ${bob.email} when it's ready.`)).toBeVisible();

    // He goes on in his personal workspace (a switch leaves the team's report for the list).
    await switchTo(bobPage, personal);
    await expect(bobPage).toHaveURL("/dashboard/reports");

    // The email's link, opened there, names the team and where he is instead of a 404.
    const link = await dashboardLinkFor(bobPage.request, bob.email, "Your report is ready");
    expect(link).toBe(`${urls.app}/dashboard/jobs/${reportId}`);
    await openLinkFromInbox(bobPage, bob.email, "Your report is ready", "Open the report");
    await expect(bobPage).toHaveURL(`/dashboard/reports/${reportId}`);
    await expect(bobPage.getByRole("heading", { level: 1, name: `This report belongs to ${team}` })).toBeVisible();
    await expect(bobPage.getByRole("main")).toContainText(`You're working in ${personal}.`);
    await expect(switcher(bobPage)).toHaveAccessibleName(new RegExp(`^Organisation: ${personal}`));
    // Nothing of the report itself until he switches.
    await expect(bobPage.getByRole("link", { name: "Download CSV" })).toHaveCount(0);
    await expectNoAxeViolations(bobPage);
    // A page, not an error, and private like every dashboard page.
    const answer = await bobPage.request.get(link);
    expect(answer.status()).toBe(200);
    expect(answer.headers()["cache-control"]).toContain("no-store");

    // One click switches him to the team, on the same page, which is now the report.
    await bobPage.getByRole("button", { name: `Switch to ${team}` }).click();
    await expect(bobPage.getByRole("heading", { name: "Your report is ready" })).toBeVisible();
    await expect(bobPage.getByRole("link", { name: "Download CSV" })).toBeVisible();
    await expect(bobPage).toHaveURL(`/dashboard/reports/${reportId}`);
    await expect(switcher(bobPage)).toHaveAccessibleName(new RegExp(`^Organisation: ${team}`));
    const [current] = await sql<{ user_id: string; org_id: string }[]>`
      select c.user_id, c.org_id from public.current_organisations c
      join public.profiles p on p.id = c.user_id
      where p.email = ${bob.email}`;
    expect(current?.org_id).toBe(teamId);

    // Back in his workspace, Alice removes him: the link is now a 404 like any job he can't see.
    await switchTo(bobPage, personal);
    expect((await alicePage.request.delete(`/api/organisations/${teamId}/members/${current!.user_id}`)).status()).toBe(204);
    for (const path of [`/dashboard/jobs/${reportId}`, `/dashboard/reports/${reportId}`]) {
      const response = await bobPage.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(bobPage.getByRole("heading", { name: "No such job" })).toBeVisible();
      await expect(bobPage.getByRole("button", { name: `Switch to ${team}` })).toHaveCount(0);
    }
  } finally {
    await Promise.all([aliceContext.close(), bobContext.close()]);
  }
});
