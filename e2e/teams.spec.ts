import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { authEmails, createAccount, isoDay, newAccount, openLinkFromInbox, requestReport } from "./helpers";
import { sql } from "./sql";
import { urls } from "./stack";
import { invitationLinkFor, jobLink, switcher, switchTo } from "./teams-helpers";

/**
 * Issue #16's whole flow, in two browsers: Alice makes a team and invites Bob; Bob signs
 * up through the emailed link (confirming his address through the inbox, as hosted Auth
 * requires) and lands in the team; what he asks for there, Alice sees; once she removes
 * him, the team's report and jobs are a 404 to him, page and API alike, and his own
 * workspace shows only his own.
 */

test("Alice makes a team, Bob joins it through the emailed invitation, then is removed and loses its work", async ({ browser }) => {
  test.setTimeout(180_000);
  const alice = newAccount("Alice Archer");
  const bob = newAccount("Bob Baker");
  const suffix = Math.random().toString(36).slice(2, 7);
  const team = `Rocket Labs ${suffix}`;
  const aliceContext = await browser.newContext();
  const bobContext = await browser.newContext();
  const alicePage = await aliceContext.newPage();
  const bobPage = await bobContext.newPage();

  try {
    // Alice creates the team from the switcher; the slug is suggested from the name.
    await createAccount(alicePage.request, alice);
    await alicePage.goto("/dashboard");
    await switcher(alicePage).click();
    await alicePage.getByRole("link", { name: "Create a team" }).click();
    await expect(alicePage).toHaveURL("/dashboard/teams/new");
    await alicePage.getByLabel("Team name").fill(team);
    await expect(alicePage.getByLabel("Slug")).toHaveValue(`rocket-labs-${suffix}`);
    await alicePage.getByRole("button", { name: "Create team" }).click();
    await expect(alicePage).toHaveURL("/dashboard/team");
    await expect(alicePage.getByRole("heading", { level: 1, name: team })).toBeVisible();
    await expect(switcher(alicePage)).toHaveAccessibleName(new RegExp(`^Organisation: ${team}`));
    const [teamRow] = await sql<{ id: string }[]>`select id from public.organisations where slug = ${`rocket-labs-${suffix}`}`;
    const teamId = teamRow!.id;

    // She invites Bob as a member.
    const invitations = alicePage.getByRole("region", { name: "Invitations" });
    await invitations.getByLabel("Email address").fill(bob.email);
    await invitations.getByLabel("Role").selectOption("member");
    await invitations.getByRole("button", { name: "Send invitation" }).click();
    await expect(invitations.getByRole("status").filter({ hasText: `is on its way to ${bob.email}` })).toBeVisible();
    await expect(invitations.getByRole("listitem").filter({ hasText: bob.email })).toContainText("Member");

    // The invitation email reaches Bob's inbox (sent in the background: reload until it's there).
    await bobPage.goto(urls.mail);
    await bobPage.getByLabel("Recipient").fill(bob.email);
    await bobPage.getByRole("button", { name: "Filter" }).click();
    const invitationEmail = bobPage.getByRole("link", { name: new RegExp(`join ${team}`) });
    await expect(async () => {
      await bobPage.reload();
      await expect(invitationEmail).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 45_000 });
    await invitationEmail.first().click();
    const accept = bobPage.frameLocator('iframe[title="HTML part of the email"]').getByRole("link", { name: "Accept the invitation" });
    const href = await accept.getAttribute("href");
    expect(href).toMatch(new RegExp(`^${urls.app}/invitations/[A-Za-z0-9_-]+$`));
    const invitationPath = new URL(href!).pathname;

    // Signed out, the link offers sign-up, which comes back here with his address filled in.
    await bobPage.goto(href!);
    await expect(bobPage.getByRole("heading", { level: 1, name: `Join ${team}` })).toBeVisible();
    await expect(bobPage.getByRole("main")).toContainText(`Alice Archer invited ${bob.email} to join ${team} as member`);
    await bobPage.getByRole("link", { name: "Sign up" }).click();
    await expect(bobPage).toHaveURL(/\/sign-up\?/);
    await expect(bobPage.getByLabel("Email")).toHaveValue(bob.email);
    await bobPage.getByLabel("Name (optional)").fill(bob.displayName);
    await bobPage.getByLabel("Password").fill(bob.password);
    await bobPage.getByRole("button", { name: "Create account" }).click();
    await expect(bobPage.getByText(`Check your inbox for a link to confirm ${bob.email}`)).toBeVisible();

    // Confirming his address signs him in and leads back to the invitation, not the dashboard.
    await openLinkFromInbox(bobPage, bob.email, authEmails.confirmation, "Confirm your email and sign in");
    await expect(bobPage).toHaveURL(invitationPath);
    await bobPage.getByRole("button", { name: "Accept invitation" }).click();
    await expect(bobPage).toHaveURL("/dashboard");
    await expect(switcher(bobPage)).toHaveAccessibleName(new RegExp(`^Organisation: ${team}`));
    await expect(bobPage.getByRole("region", { name: "Organisation" })).toContainText(team);
    await expect(bobPage.getByRole("region", { name: "Organisation" })).toContainText("member");

    // As a member he sees who is in the team and may leave it, but not its invitations or settings.
    await bobPage.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Team" }).click();
    await expect(bobPage.getByRole("heading", { level: 1, name: team })).toBeVisible();
    const bobsView = bobPage.getByRole("region", { name: "Members" });
    await expect(bobsView.getByRole("listitem").filter({ hasText: alice.displayName })).toContainText("Owner");
    await expect(bobsView.getByRole("listitem").filter({ hasText: `${bob.displayName} (you)` })).toContainText("Member");
    await expect(bobsView.getByRole("button")).toHaveCount(0);
    await expect(bobPage.getByRole("region", { name: "Invitations" })).toHaveCount(0);
    await expect(bobPage.getByRole("region", { name: "Name and slug" })).toHaveCount(0);
    await expect(bobPage.getByRole("button", { name: `Leave ${team}` })).toBeVisible();

    // Bob asks for a report in the team; it is the team's.
    const today = isoDay(new Date());
    const reportId = await requestReport(bobPage, "All activity", { from: today, to: today });
    const [job] = await sql<{ org_id: string }[]>`select org_id from public.jobs where id = ${reportId}`;
    expect(job?.org_id).toBe(teamId);

    // Alice sees it, in the team's jobs and on its page.
    await alicePage.goto("/dashboard/jobs");
    await expect(jobLink(alicePage, reportId)).toBeVisible();
    const aliceView = await alicePage.goto(`/dashboard/reports/${reportId}`);
    expect(aliceView?.status()).toBe(200);
    await expect(alicePage.getByRole("heading", { name: "No such job" })).toHaveCount(0);

    // Bob's own workspace shows his own jobs only (the welcome email), not the team's report.
    const personal = `${bob.displayName}'s workspace`;
    await bobPage.goto("/dashboard/jobs");
    await switchTo(bobPage, personal);
    await expect(bobPage.getByRole("main").getByRole("listitem").filter({ hasText: "Welcome email" })).toBeVisible();
    await expect(jobLink(bobPage, reportId)).toHaveCount(0);
    // And back: the choice is his to make, and it is kept (a reload reads it from the database).
    await switchTo(bobPage, team);
    await bobPage.reload();
    await expect(switcher(bobPage)).toHaveAccessibleName(new RegExp(`^Organisation: ${team}`));
    await expect(jobLink(bobPage, reportId)).toBeVisible();

    // Alice removes Bob.
    await alicePage.goto("/dashboard/team");
    const members = alicePage.getByRole("region", { name: "Members" });
    await expect(members.getByRole("listitem").filter({ hasText: bob.email })).toBeVisible();
    await members.getByRole("button", { name: `Remove ${bob.displayName}` }).click();
    const dialog = alicePage.getByRole("dialog", { name: `Remove ${bob.displayName}?` });
    await dialog.getByRole("button", { name: "Remove" }).click();
    await expect(members.getByRole("status").filter({ hasText: `${bob.displayName} is no longer in ${team}` })).toBeVisible();
    await expect(members.getByRole("listitem").filter({ hasText: bob.email })).toHaveCount(0);

    // To Bob, the team's report and job are now no more than a missing page, and the API agrees.
    for (const path of [`/dashboard/reports/${reportId}`, `/dashboard/jobs/${reportId}`]) {
      const response = await bobPage.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(bobPage.getByRole("heading", { name: "No such job" })).toBeVisible();
    }
    expect((await bobPage.request.get(`/api/jobs/${reportId}`)).status()).toBe(404);
    expect((await bobPage.request.get(`/api/reports/${reportId}/download`)).status()).toBe(404);
    const list = await bobPage.request.get("/api/jobs");
    expect(list.status()).toBe(200);
    const { jobs } = (await list.json()) as { jobs: { id: string; type: string }[] };
    expect(jobs.map((listed) => listed.id)).not.toContain(reportId);
    expect(jobs.map((listed) => listed.type)).toEqual(["welcome-email"]);

    // He is back in his personal workspace, the only one left in his switcher, with only his own jobs.
    await bobPage.goto("/dashboard/jobs");
    await expect(switcher(bobPage)).toHaveAccessibleName(new RegExp(`^Organisation: ${personal}`));
    await switcher(bobPage).click();
    await expect(bobPage.getByRole("banner").getByRole("listitem")).toHaveCount(1);
    await expect(bobPage.getByRole("main").getByRole("listitem").filter({ hasText: "Welcome email" })).toBeVisible();
    await expect(jobLink(bobPage, reportId)).toHaveCount(0);
  } finally {
    await Promise.all([aliceContext.close(), bobContext.close()]);
  }
});

test("an invitation for another address, a dead link and a second acceptance each say what happened", async ({ browser }) => {
  test.setTimeout(120_000);
  const owner = newAccount("Olga Owner");
  const invitee = newAccount("Ivan Invitee");
  const stranger = newAccount("Sam Stranger");
  const suffix = Math.random().toString(36).slice(2, 7);
  const team = `Orbit ${suffix}`;
  const contexts = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  const [ownerPage, inviteePage, strangerPage] = await Promise.all(contexts.map((context) => context.newPage()));

  try {
    await Promise.all([
      createAccount(ownerPage!.request, owner),
      createAccount(inviteePage!.request, invitee),
      createAccount(strangerPage!.request, stranger),
    ]);
    // Through the API this time: the first test drove the form.
    expect((await ownerPage!.request.post("/api/organisations", { data: { name: team, slug: `orbit-${suffix}` } })).status()).toBe(201);
    await ownerPage!.goto("/dashboard/team");
    const invitations = ownerPage!.getByRole("region", { name: "Invitations" });
    await invitations.getByLabel("Email address").fill(invitee.email);
    await invitations.getByRole("button", { name: "Send invitation" }).click();
    await expect(invitations.getByRole("listitem").filter({ hasText: invitee.email })).toBeVisible();

    // The link, as the email carries it.
    const link = await invitationLinkFor(inviteePage!.request, invitee.email);

    // Someone signed in with another address is told whose invitation it is.
    await strangerPage!.goto(link);
    await expect(strangerPage!.getByRole("main").getByRole("alert")).toContainText(
      `This invitation was sent to ${invitee.email}, but you're signed in as ${stranger.email}`,
    );
    await expect(strangerPage!.getByRole("button", { name: "Accept invitation" })).toHaveCount(0);
    // The API refuses it too, naming both addresses.
    const token = new URL(link).pathname.split("/").at(-1)!;
    const refused = await strangerPage!.request.post("/api/invitations/accept", { data: { token } });
    expect(refused.status()).toBe(403);
    const { error } = (await refused.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("invitation_email_mismatch");
    expect(error.message).toContain(invitee.email);

    // The invited address, signed out, signs in from the link and comes back to accept it;
    // the link is then spent for anyone else.
    expect((await inviteePage!.request.post("/api/auth/sign-out")).ok()).toBe(true);
    await inviteePage!.goto(link);
    await inviteePage!.getByRole("link", { name: "Sign in" }).click();
    await expect(inviteePage!.getByLabel("Email")).toHaveValue(invitee.email);
    await inviteePage!.getByLabel("Password").fill(invitee.password);
    await inviteePage!.getByRole("button", { name: "Sign in" }).click();
    await expect(inviteePage!).toHaveURL(new URL(link).pathname);
    await inviteePage!.getByRole("button", { name: "Accept invitation" }).click();
    await expect(inviteePage!).toHaveURL("/dashboard");
    await strangerPage!.goto(link);
    await expect(strangerPage!.getByRole("heading", { level: 1, name: "This invitation was already accepted" })).toBeVisible();

    // A made-up token is an unknown invitation, not an error page.
    const unknown = await strangerPage!.goto("/invitations/not-a-real-token-at-all-0123456789");
    expect(unknown?.status()).toBe(200);
    await expect(strangerPage!.getByRole("heading", { level: 1, name: "This invitation link doesn't work" })).toBeVisible();

    // Inviting a member again is refused beside the address.
    await ownerPage!.reload();
    await invitations.getByLabel("Email address").fill(invitee.email);
    await invitations.getByRole("button", { name: "Send invitation" }).click();
    await expect(invitations.getByLabel("Email address")).toHaveAccessibleDescription(
      `${invitee.email} is already a member of this team.`,
    );

    // The owner makes the new member an admin; as the only owner, she can't leave.
    const members = ownerPage!.getByRole("region", { name: "Members" });
    // Looking through the roles with the arrow keys changes nothing; "Change role" does.
    const roleSelect = members.getByLabel(`Role of ${invitee.displayName}`);
    await roleSelect.focus();
    await ownerPage!.keyboard.press("ArrowUp");
    await expect(roleSelect).toBeFocused();
    await roleSelect.selectOption("admin");
    const changeRole = members.getByRole("button", { name: `Change ${invitee.displayName}'s role` });
    await changeRole.click();
    await expect(members.getByRole("status").filter({ hasText: `${invitee.displayName} is now admin.` })).toBeVisible();
    await expect(changeRole).toBeFocused();
    const [role] = await sql<{ role: string }[]>`
      select m.role::text as role from public.memberships m join public.profiles p on p.id = m.user_id
      where p.email = ${invitee.email} and m.org_id = (select id from public.organisations where slug = ${`orbit-${suffix}`})`;
    expect(role?.role).toBe("admin");
    await ownerPage!.getByRole("button", { name: `Leave ${team}` }).click();
    const leave = ownerPage!.getByRole("dialog", { name: `Leave ${team}?` });
    await leave.getByRole("button", { name: "Leave team" }).click();
    await expect(leave.getByRole("alert")).toContainText("A team needs at least one owner");
    await leave.getByRole("button", { name: "Stay" }).click();
    await expect(leave).toBeHidden();
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
});

test("re-sending an invitation replaces its link, and revoking it voids the new one", async ({ page }) => {
  const owner = newAccount("Nora Nonce");
  const suffix = Math.random().toString(36).slice(2, 7);
  const guest = newAccount("Gus Guest").email;
  await createAccount(page.request, owner);
  expect((await page.request.post("/api/organisations", { data: { name: `Nebula ${suffix}`, slug: `nebula-${suffix}` } })).status()).toBe(201);

  await page.goto("/dashboard/team");
  const invitations = page.getByRole("region", { name: "Invitations" });
  await expect(invitations.getByText("No pending invitations")).toBeVisible();
  await invitations.getByLabel("Email address").fill(guest);
  await invitations.getByLabel("Role").selectOption("admin");
  await invitations.getByRole("button", { name: "Send invitation" }).click();
  await expect(invitations.getByLabel("Email address")).toHaveValue("");
  const first = await invitationLinkFor(page.request, guest);

  await invitations.getByRole("button", { name: `Re-send the invitation to ${guest}` }).click();
  await expect(invitations.getByRole("status").filter({ hasText: "The link sent before no longer works" })).toBeVisible();
  const second = await invitationLinkFor(page.request, guest, first);
  expect(second).not.toBe(first);
  await expect(invitations.getByRole("listitem").filter({ hasText: guest })).toContainText("Admin");

  // The old link is dead, the new one shows the invitation (to a visitor: a fresh context).
  const visitor = await page.context().browser()!.newPage();
  try {
    await visitor.goto(first);
    await expect(visitor.getByRole("heading", { level: 1, name: "This invitation link doesn't work" })).toBeVisible();
    await visitor.goto(second);
    await expect(visitor.getByRole("heading", { level: 1, name: `Join Nebula ${suffix}` })).toBeVisible();

    await invitations.getByRole("button", { name: `Revoke the invitation to ${guest}` }).click();
    await expect(invitations.getByRole("status").filter({ hasText: `The invitation to ${guest} was revoked` })).toBeVisible();
    await expect(invitations.getByText("No pending invitations")).toBeVisible();
    await visitor.reload();
    await expect(visitor.getByRole("heading", { level: 1, name: "This invitation link doesn't work" })).toBeVisible();
  } finally {
    await visitor.close();
  }
});

test("an owner renames the team, and deletes it only once its slug is typed out", async ({ page }) => {
  const owner = newAccount("Rita Renamer");
  const suffix = Math.random().toString(36).slice(2, 7);
  await createAccount(page.request, owner);
  const created = await page.request.post("/api/organisations", { data: { name: `Comet ${suffix}`, slug: `comet-${suffix}` } });
  expect(created.status()).toBe(201);
  const { organisation } = (await created.json()) as { organisation: { id: string } };

  // The switcher, open, is keyboard-operable and passes axe; Escape closes it and gives focus back.
  await page.goto("/dashboard/team");
  await switcher(page).focus();
  await page.keyboard.press("Enter");
  await expect(switcher(page)).toHaveAttribute("aria-expanded", "true");
  const personal = page.getByRole("banner").getByRole("button", { name: new RegExp(`^${owner.displayName}'s workspace`) });
  await expect(personal).toBeVisible();
  // Arrows walk the list: the personal workspace first, then this team, then "Create a team".
  await page.keyboard.press("ArrowDown");
  await expect(personal).toBeFocused();
  await page.keyboard.press("End");
  await expect(page.getByRole("banner").getByRole("link", { name: "Create a team" })).toBeFocused();
  await expectNoAxeViolations(page);
  await page.keyboard.press("Escape");
  await expect(switcher(page)).toHaveAttribute("aria-expanded", "false");
  await expect(switcher(page)).toBeFocused();

  // A taken slug is refused beside the field; a free one is saved, and the header follows.
  const other = `taken-${suffix}`;
  expect((await page.request.post("/api/organisations", { data: { name: "Other", slug: other } })).status()).toBe(201);
  expect((await page.request.put("/api/organisations/current", { data: { orgId: organisation.id } })).status()).toBe(200);
  await page.reload();
  const settings = page.getByRole("region", { name: "Name and slug" });
  await settings.getByLabel("Slug").fill(other);
  await settings.getByRole("button", { name: "Save changes" }).click();
  await expect(settings.getByLabel("Slug")).toHaveAccessibleDescription("That slug is taken: choose another.");
  await settings.getByLabel("Team name").fill(`Comet Works ${suffix}`);
  await settings.getByLabel("Slug").fill(`comet-works-${suffix}`);
  await settings.getByRole("button", { name: "Save changes" }).click();
  await expect(settings.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(switcher(page)).toHaveAccessibleName(new RegExp(`^Organisation: Comet Works ${suffix}`));

  // Deleting asks for the slug; the dialog passes axe; a wrong slug deletes nothing.
  await page.getByRole("button", { name: "Delete this team…" }).click();
  const dialog = page.getByRole("dialog", { name: `Delete Comet Works ${suffix}?` });
  await expect(dialog.getByRole("button", { name: "Keep the team" })).toBeFocused();
  await expectNoAxeViolations(page);
  const confirm = dialog.getByLabel(`Type comet-works-${suffix} to confirm`);
  await confirm.fill("comet");
  await dialog.getByRole("button", { name: "Delete team" }).click();
  await expect(confirm).toHaveAccessibleDescription(`Type the team's slug, comet-works-${suffix}, exactly.`);
  const [still] = await sql<{ count: number }[]>`select count(*)::int as count from public.organisations where id = ${organisation.id}`;
  expect(still?.count).toBe(1);

  await confirm.fill(`comet-works-${suffix}`);
  await dialog.getByRole("button", { name: "Delete team" }).click();
  await expect(page).toHaveURL("/dashboard");
  await expect(switcher(page)).toHaveAccessibleName(new RegExp(`^Organisation: ${owner.displayName}'s workspace`));
  const [gone] = await sql<{ count: number }[]>`select count(*)::int as count from public.organisations where id = ${organisation.id}`;
  expect(gone?.count).toBe(0);
  const [audit] = await sql<{ action: string }[]>`select action from public.audit_log where org_id = ${organisation.id}`;
  expect(audit?.action).toBe("team.deleted");
});
