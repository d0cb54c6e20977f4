import { expect, test, type Page } from "@playwright/test";
import { createAccount, isoDay, newAccount } from "./helpers";
import { sql } from "./sql";

/**
 * The organisation someone works in is kept on the server, so a switch in one tab (or on
 * another device) re-targets every other open page. A page left showing a team must not
 * then file work in the organisation switched to: the API refuses, the page says why and
 * offers a reload, and after it the same request lands where the page now says.
 */

const switcher = (page: Page) => page.getByRole("banner").getByRole("button", { name: /^Organisation: / });

async function fillReportForm(page: Page) {
  const today = isoDay(new Date());
  await page.getByRole("radio", { name: "All activity" }).check();
  await page.getByLabel("From", { exact: true }).fill(today);
  await page.getByLabel("To", { exact: true }).fill(today);
}

test("a tab still showing a team can't request a report in the organisation switched to elsewhere", async ({ browser }) => {
  const owner = newAccount("Stella Stale");
  const suffix = Math.random().toString(36).slice(2, 7);
  const team = `Tabby ${suffix}`;
  const personal = `${owner.displayName}'s workspace`;
  const context = await browser.newContext();
  try {
    await createAccount(context.request, owner);
    const created = await context.request.post("/api/organisations", { data: { name: team, slug: `tabby-${suffix}` } });
    expect(created.status()).toBe(201);
    const [ids] = await sql<{ team_id: string; personal_id: string; user_id: string }[]>`
      select t.id as team_id, p.id as personal_id, pr.id as user_id
      from public.profiles pr
      join public.memberships mp on mp.user_id = pr.id
      join public.organisations p on p.id = mp.org_id and p.personal
      join public.memberships mt on mt.user_id = pr.id
      join public.organisations t on t.id = mt.org_id and t.slug = ${`tabby-${suffix}`}
      where pr.email = ${owner.email}`;
    if (!ids) throw new Error("the account or its team wasn't found");
    const reports = () => sql<{ org_id: string }[]>`
      select org_id from public.jobs where user_id = ${ids.user_id} and type = 'report'`;

    // Tab B shows the team's report form; in tab A the owner switches to her own workspace.
    const tabB = await context.newPage();
    await tabB.goto("/dashboard/reports");
    await expect(switcher(tabB)).toHaveAccessibleName(new RegExp(`^Organisation: ${team}`));
    const tabA = await context.newPage();
    await tabA.goto("/dashboard");
    await switcher(tabA).click();
    await tabA.getByRole("banner").getByRole("button", { name: new RegExp(`^${personal}`) }).click();
    await expect(switcher(tabA)).toHaveAccessibleName(new RegExp(`^Organisation: ${personal}`));

    // Back in tab B, still reading the team's name, she asks for a report: refused, and told why.
    await expect(switcher(tabB)).toHaveAccessibleName(new RegExp(`^Organisation: ${team}`));
    await fillReportForm(tabB);
    await tabB.getByRole("button", { name: "Request report" }).click();
    const told = `You switched to ${personal} in another tab or on another device. Reload this page to work there.`;
    await expect(tabB.getByRole("alert").filter({ hasText: told })).toBeVisible();
    await expect(tabB).toHaveURL("/dashboard/reports");
    expect(await reports()).toEqual([]);

    // Reloading shows where she works now; the same request then lands there.
    await tabB.getByRole("button", { name: "Reload" }).click();
    await expect(switcher(tabB)).toHaveAccessibleName(new RegExp(`^Organisation: ${personal}`));
    await expect(tabB.getByRole("button", { name: "Reload" })).toHaveCount(0);
    await fillReportForm(tabB);
    await tabB.getByRole("button", { name: "Request report" }).click();
    await expect(tabB).toHaveURL(/\/dashboard\/reports\/[0-9a-f-]{36}$/);
    expect(await reports()).toEqual([{ org_id: ids.personal_id }]);

    // The check is the page's: a caller that names no page (curl, a script) is not refused,
    // and a header that isn't an organisation id is a bad request.
    const unnamed = await context.request.get("/api/profile");
    expect(unnamed.status()).toBe(200);
    const stale = await context.request.get("/api/profile", { headers: { "Offload-Organisation": ids.team_id } });
    expect(stale.status()).toBe(409);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe("organisation_changed");
    const malformed = await context.request.get("/api/profile", { headers: { "Offload-Organisation": "acme" } });
    expect(malformed.status()).toBe(400);
  } finally {
    await context.close();
  }
});

test("a tab coming back into view follows a switch made elsewhere, and says so", async ({ browser }) => {
  const owner = newAccount("Vera Visible");
  const suffix = Math.random().toString(36).slice(2, 7);
  const team = `Peek ${suffix}`;
  const personal = `${owner.displayName}'s workspace`;
  const context = await browser.newContext();
  try {
    await createAccount(context.request, owner);
    expect((await context.request.post("/api/organisations", { data: { name: team, slug: `peek-${suffix}` } })).status()).toBe(201);
    const tabB = await context.newPage();
    await tabB.goto("/dashboard/reports");
    await expect(switcher(tabB)).toHaveAccessibleName(new RegExp(`^Organisation: ${team}`));
    // The switch is made on "another device": straight through the API.
    const [row] = await sql<{ id: string }[]>`
      select o.id from public.organisations o join public.memberships m on m.org_id = o.id
      join public.profiles p on p.id = m.user_id where p.email = ${owner.email} and o.personal`;
    expect((await context.request.put("/api/organisations/current", { data: { orgId: row!.id } })).status()).toBe(200);

    // Headless tabs are always visible: tell the page it came back, as a browser does.
    await tabB.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await expect(switcher(tabB)).toHaveAccessibleName(new RegExp(`^Organisation: ${personal}`));
    await expect(tabB.getByText(`This page now shows ${personal}`)).toBeVisible();
    await expect(tabB.getByRole("button", { name: "Reload" })).toHaveCount(0);
  } finally {
    await context.close();
  }
});
