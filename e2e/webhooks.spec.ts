import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { colorSchemes, expectNoAxeViolations } from "./axe";
import { createAccount, newAccount } from "./helpers";

/**
 * The webhooks page: an owner adds an endpoint (a local receiver, which
 * the local environment allows), copies its secret, which is shown once, sends a test event
 * and follows it into the delivery log, where it is delivered with its attempt.
 */

type Received = { headers: IncomingHttpHeaders; body: string };
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];

test.beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.writeHead(200, { "content-type": "text/plain" }).end("thanks");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const address = receiver.address();
  if (!address || typeof address === "string") throw new Error("the receiver has no port");
  receiverUrl = `http://127.0.0.1:${address.port}/offload`;
});

test.afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

async function addEndpoint(page: Page, url: string): Promise<string> {
  await page.getByLabel("Endpoint URL").fill(url);
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const secret = page.getByRole("region", { name: /Signing secret/ }).getByLabel("Signing secret");
  await expect(secret).toHaveValue(/^whsec_[A-Za-z0-9+/]{43}=$/);
  return secret.inputValue();
}

test("an owner adds an endpoint, sees its secret once, sends a test event and finds it delivered in the log", async ({ page }) => {
  test.setTimeout(120_000);
  const owner = newAccount("Wendy Webhook");
  await createAccount(page.request, owner);
  await page.goto("/dashboard");
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page).toHaveURL("/dashboard/webhooks");
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
  await expect(page.getByText("No endpoints yet")).toBeVisible();

  // A public address must be https; a loopback one is allowed in the local environment.
  await page.getByLabel("Endpoint URL").fill("http://hooks.example.com/offload");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByLabel("Endpoint URL")).toHaveAccessibleDescription(/https/);
  await expect(page.getByLabel("Endpoint URL")).toBeFocused();

  const secret = await addEndpoint(page, receiverUrl);
  const endpoint = page.getByRole("listitem", { name: receiverUrl });
  await expect(endpoint).toContainText("job.completed, job.failed, job.cancelled, report.ready");
  await page.getByRole("button", { name: "I've saved it" }).click();
  await expect(page.getByRole("region", { name: /Signing secret/ })).toHaveCount(0);
  // Never shown again: not after a reload either.
  await page.reload();
  await expect(page.getByRole("listitem", { name: receiverUrl })).toBeVisible();
  expect(await page.content()).not.toContain(secret);

  await page.getByRole("listitem", { name: receiverUrl }).getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByRole("listitem", { name: receiverUrl }).getByRole("status")).toContainText("Test event sent.");
  await page.getByRole("link", { name: "See it in the delivery log" }).click();
  await expect(page).toHaveURL(/\/dashboard\/webhooks\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: "Delivery log" })).toBeVisible();
  const messages = page.getByRole("list", { name: "Messages" });
  await expect(messages.getByRole("listitem")).toHaveCount(1);

  // Delivered (the log polls while it is on its way), with its one attempt and the receiver's answer.
  const delivered = messages.getByRole("listitem", { name: "webhook.test, Delivered" });
  await expect(delivered).toBeVisible({ timeout: 60_000 });
  await expect(delivered).toContainText("1 attempt");
  await delivered.getByRole("button", { expanded: false }).click();
  const attempts = delivered.getByRole("table", { name: "Attempts to deliver this message" });
  await expect(attempts.getByRole("row")).toHaveCount(2);
  await expect(attempts.getByRole("row").nth(1)).toContainText("200");
  await expect(attempts.getByRole("row").nth(1)).toContainText("delivered");
  await expect(attempts.getByRole("row").nth(1)).toContainText("thanks");
  expect(received).toHaveLength(1);
  expect(received[0]!.headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
  expect(received[0]!.headers["webhook-signature"]).toMatch(/^v1,/);
  expect(JSON.parse(received[0]!.body)).toMatchObject({ type: "webhook.test", data: { test: true } });
});

test.describe("the webhooks pages have no WCAG 2.1 AA violations", () => {
  for (const colorScheme of colorSchemes) {
    test(`in ${colorScheme} mode`, async ({ page }) => {
      test.setTimeout(90_000);
      await page.emulateMedia({ colorScheme });
      const owner = newAccount("Axel Axe");
      await createAccount(page.request, owner);
      await page.goto("/dashboard/webhooks");
      await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
      await expectNoAxeViolations(page);

      // With an endpoint, its secret on screen, and a message in its log, opened.
      await addEndpoint(page, `${receiverUrl}/${colorScheme}`);
      await expectNoAxeViolations(page);
      await page.getByRole("button", { name: "I've saved it" }).click();
      await page.getByRole("button", { name: "Send test event" }).click();
      await page.getByRole("link", { name: "See it in the delivery log" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Delivery log" })).toBeVisible();
      await page.getByRole("list", { name: "Messages" }).getByRole("button", { expanded: false }).first().click();
      await expect(page.getByText(/Loading attempts/)).toHaveCount(0);
      await expectNoAxeViolations(page);
    });
  }
});
