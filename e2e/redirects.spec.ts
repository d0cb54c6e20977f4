import { expect, test, type APIRequestContext } from "@playwright/test";
import { authEmails, authLinkFor, createAccount, newAccount, signUp } from "./helpers";
import { urls } from "./stack";

/**
 * `next` (after sign-in, sign-up and an emailed link) must only ever lead to a page of
 * this app. Each of these resolves, once a browser collapses its dot segments and reads
 * `\` as `/`, to `//evil.example`: another host.
 */
const tricks = ["/.//evil.example", "/..//evil.example", "/%2e//evil.example", "/./\\evil.example", "/a/..//evil.example"];

const appOrigin = new URL(urls.app).origin;

/** Where a browser would go from the `Location` of `path`'s answer. */
async function redirectTarget(request: APIRequestContext, path: string): Promise<URL> {
  const response = await request.get(path, { maxRedirects: 0 });
  expect(response.status(), `${path} redirects`).toBeGreaterThanOrEqual(300);
  expect(response.status()).toBeLessThan(400);
  const location = response.headers()["location"];
  expect(location, `${path} has a Location`).toBeTruthy();
  return new URL(location ?? "", new URL(path, urls.app));
}

test.beforeEach(async ({ page }) => {
  // Should anything slip through, the browser lands on a page that says so rather than
  // waiting on DNS for a host that does not exist.
  await page.route("http://evil.example/**", (route) => route.fulfill({ body: "escaped to evil.example" }));
});

test("a signed-in visitor's sign-in and sign-up `next` never leaves the app", async ({ page }) => {
  const account = newAccount();
  await createAccount(page.request, account);

  for (const trick of tricks) {
    for (const guestPage of ["/sign-in", "/sign-up"]) {
      const path = `${guestPage}?next=${encodeURIComponent(trick)}`;
      const target = await redirectTarget(page.request, path);
      expect(target.origin, path).toBe(appOrigin);
      expect(target.pathname, path).toBe("/dashboard");
    }
  }

  await page.goto(`/sign-in?next=${encodeURIComponent("/.//evil.example")}`);
  await expect(page).toHaveURL("/dashboard");
});

test("signing in through the form with a tricked `next` lands on the dashboard", async ({ page, request }) => {
  const account = newAccount();
  await createAccount(request, account);

  await page.goto(`/sign-in?next=${encodeURIComponent("/a/..//evil.example")}`);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL("/dashboard");
  expect(new URL(page.url()).origin).toBe(appOrigin);
});

test("an emailed link's tricked `next` leads to the dashboard", async ({ page }) => {
  const account = newAccount();
  await signUp(page, account);
  await expect(page.getByText(`Check your inbox for a link to confirm ${account.email}`)).toBeVisible();

  const link = new URL(await authLinkFor(page.request, account.email, authEmails.confirmation), urls.app);
  link.searchParams.set("next", "/./\\evil.example");
  const target = await redirectTarget(page.request, `${link.pathname}${link.search}`);
  expect(target.origin).toBe(appOrigin);
  expect(target.pathname).toBe("/dashboard");
});
