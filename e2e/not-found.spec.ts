import { expect, test, type APIRequestContext } from "@playwright/test";
import { createAccount, newAccount } from "./helpers";
import { sql } from "./sql";

const NO_SUCH_JOB = "00000000-0000-4000-8000-000000000000";

/**
 * A response with what differs between any two requests taken out: the address asked for
 * (wherever the payload repeats it, whole or by segment) and Next's per-request ids.
 */
async function normalised(request: APIRequestContext, path: string, headers: Record<string, string> = {}) {
  const response = await request.get(path, { headers });
  let body = await response.text();
  // Each answer has a nonce of its own (its Content-Security-Policy's), which names nothing.
  const nonce = /'nonce-([^']+)'/.exec(response.headers()["content-security-policy"] ?? "")?.[1];
  if (nonce) body = body.replaceAll(nonce, "<nonce>");
  const segments = path.split("/").filter(Boolean);
  body = body.replaceAll(path, "<path>");
  for (const segment of segments) {
    // In the document and, escaped, in the payload inlined into it.
    body = body.replaceAll(`"${segment}"`, '"<segment>"').replaceAll(`\\"${segment}\\"`, '\\"<segment>\\"');
  }
  body = body
    .replace(/self\.__next_r="[^"]*"/g, 'self.__next_r="<id>"')
    .replace(/"[\w-]{21}([vm])"/g, '"<id>$1"');
  return { status: response.status(), body };
}

test("an unknown job, another organisation's job and a malformed id all answer 404", async ({ page, request }) => {
  const owner = newAccount("Owen Owner");
  await createAccount(request, owner);
  const [job] = await sql<{ id: string }[]>`
    select j.id from public.jobs j join public.profiles p on p.id = j.user_id where p.email = ${owner.email}`;
  expect(job).toBeDefined();

  const visitor = newAccount("Vera Visitor");
  await createAccount(page.request, visitor);
  for (const id of [NO_SUCH_JOB, job!.id, "not-a-job"]) {
    const response = await page.goto(`/dashboard/jobs/${id}`);
    expect(response?.status(), id).toBe(404);
    await expect(page.getByRole("heading", { name: "No such job" })).toBeVisible();
  }

  // The owner's own job still opens.
  const own = await request.get(`/dashboard/jobs/${job!.id}`);
  expect(own.status()).toBe(200);
});

test("someone who administers nothing can't tell an admin page from a missing one", async ({ page }) => {
  const user = newAccount("Norma Normal");
  await createAccount(page.request, user);

  for (const realPage of ["/admin", "/admin/dead-letters", "/admin/audit", "/admin/crons"]) {
    const missing = realPage === "/admin" ? "/admin-nope" : `/admin/no-such-${realPage.split("/")[2]}`;
    // The document, and the payload a client-side navigation fetches.
    for (const headers of [{}, { rsc: "1" }] as Record<string, string>[]) {
      const real = await normalised(page.request, realPage, headers);
      const none = await normalised(page.request, missing, headers);
      expect(real.status, realPage).toBe(404);
      expect(none.status, missing).toBe(404);
      expect(real.body, `${realPage} vs ${missing} ${JSON.stringify(headers)}`).toBe(none.body);
    }
  }
  // And nothing in it names the console.
  const { body } = await normalised(page.request, "/admin/dead-letters");
  for (const word of ["Dead letters", "Admin", "Audit log"]) expect(body).not.toContain(word);
});
