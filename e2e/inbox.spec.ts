import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import PostalMime from "postal-mime";
import { Resend } from "resend";
import { colorSchemes, expectNoAxeViolations } from "./axe";
import { uniqueEmail } from "./helpers";
import { urls } from "./stack";

// The devstack's mail inbox, driven as a developer reads their local mail. Emails are sent
// with the resend SDK, as the app sends them.
const resend = new Resend("re_e2e_devstack", { baseUrl: urls.mail });

async function send(to: string, subject: string, extra: { text?: string; html?: string } = {}): Promise<string> {
  const { data, error } = await resend.emails.send({
    from: "Offload <hello@offload.dev>",
    to,
    subject,
    text: extra.text ?? `A message for ${to}.`,
    html: extra.html ?? `<p>A message for ${to}.</p>`,
    headers: { "List-Unsubscribe": "<https://offload.dev/unsubscribe?u=1>" },
  });
  if (!data) throw new Error(`send failed: ${error?.message}`);
  return data.id;
}

test("a new email appears in the open inbox, and search narrows it by recipient, subject or body", async ({ page }) => {
  const reader = uniqueEmail();
  await send(reader, "Before the page opened");
  await page.goto(urls.mail);
  await page.getByLabel("Search recipients, subjects and bodies").fill(reader);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("link", { name: "Before the page opened" })).toBeVisible();

  // No reload: the page hears of the email and shows it.
  await send(reader, "Sent while you were looking");
  await expect(page.getByRole("link", { name: "Sent while you were looking" })).toBeVisible();
  await expect(page.getByRole("table")).toContainText("2 emails matching");

  // Mail to someone else doesn't show up under this search.
  await send(uniqueEmail(), "For somebody else");
  await send(reader, "Third");
  await expect(page.getByRole("link", { name: "Third" })).toBeVisible();
  await expect(page.getByRole("link", { name: "For somebody else" })).toHaveCount(0);

  // Body text and subject are searched too.
  const marker = `marker-${Date.now()}`;
  await send(uniqueEmail(), "Has a marker", { text: `Your code is ${marker}.`, html: `<p>Your code is <b>${marker}</b>.</p>` });
  await page.getByLabel("Search recipients, subjects and bodies").fill(marker.toUpperCase());
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("table")).toContainText("1 email matching");
  await expect(page.getByRole("link", { name: "Has a marker" })).toBeVisible();
});

test("an email shows every header, its raw source, and downloads as an .eml a mail parser reads", async ({ page }) => {
  const reader = uniqueEmail();
  const subject = `Ünïcödé report ${Date.now()}`;
  const id = await send(reader, subject);
  await page.goto(`${urls.mail}/?q=${encodeURIComponent(reader)}`);
  await page.getByRole("link", { name: subject }).click();
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();

  const headers = page.getByRole("table").filter({ hasText: "Every header" });
  await expect(headers.getByRole("row", { name: /Message-ID/ })).toContainText(`<${id}@devstack.localhost>`);
  await expect(headers.getByRole("row", { name: /^Subject/ })).toContainText(subject);
  await expect(headers.getByRole("row", { name: /List-Unsubscribe/ })).toContainText("https://offload.dev/unsubscribe?u=1");
  await expect(headers.getByRole("row", { name: /MIME-Version/ })).toContainText("1.0");

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download .eml" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.eml$/);
  const parsed = await PostalMime.parse(await readFile(await download.path()));
  expect(parsed).toMatchObject({ subject, to: [{ address: reader }], from: { name: "Offload", address: "hello@offload.dev" } });

  await page.getByRole("link", { name: "Raw source" }).click();
  await expect(page.locator("body")).toContainText(`Message-ID: <${id}@devstack.localhost>`);
  await expect(page.locator("body")).toContainText("MIME-Version: 1.0");
});

test("delete one email from the list or its page, then delete all", async ({ page }) => {
  const reader = uniqueEmail();
  await send(reader, "Keep me");
  await send(reader, "Delete me from the list");
  await send(reader, "Delete me from my page");
  await page.goto(`${urls.mail}/?q=${encodeURIComponent(reader)}`);

  await page.getByRole("button", { name: "Delete “Delete me from the list”" }).click();
  await expect(page.getByRole("link", { name: "Delete me from the list" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Keep me" })).toBeVisible();

  await page.goto(`${urls.mail}/?q=${encodeURIComponent(reader)}`);
  await page.getByRole("link", { name: "Delete me from my page" }).click();
  await page.getByRole("button", { name: "Delete “Delete me from my page”" }).click();
  await expect(page).toHaveURL(`${urls.mail}/`);
  await expect(page.getByRole("link", { name: "Delete me from my page" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Keep me" })).toBeVisible();

  await page.getByRole("button", { name: /^Delete all \d+ emails?$/ }).click();
  await expect(page.getByText("No emails yet.")).toBeVisible();
  await expect(page.getByRole("button", { name: /^Delete all/ })).toHaveCount(0);
  // Another tab sees it too, live.
  await send(reader, "After the clean-up");
  await expect(page.getByRole("link", { name: "After the clean-up" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Delete all 1 email" })).toBeVisible();
});

for (const colorScheme of colorSchemes) {
  test(`the inbox meets WCAG 2.1 AA in ${colorScheme} mode`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    const reader = uniqueEmail();
    await send(reader, `Contrast check (${colorScheme})`);
    await page.goto(`${urls.mail}/?q=${encodeURIComponent(reader)}`);
    await expect(page.getByRole("link", { name: `Contrast check (${colorScheme})` })).toBeVisible();
    await expectNoAxeViolations(page);

    await page.getByRole("link", { name: `Contrast check (${colorScheme})` }).click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    // The email's own HTML is the email's design, not the inbox's.
    await expectNoAxeViolations(page, { exclude: ["iframe"] });

    await page.goto(`${urls.mail}/?q=nothing-matches-${Date.now()}`);
    await expectNoAxeViolations(page);
  });
}
