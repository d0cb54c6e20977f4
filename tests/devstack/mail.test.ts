import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import PostalMime from "postal-mime";
import { Resend } from "resend";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { StoredEmail } from "@/devstack/mail/outbox";
import { startMail, type MailServer } from "@/devstack/mail/server";
import { freePort } from "../support/free-port";

// The official SDK is the contract: every request below is one it really makes.
let mail: MailServer;
let resend: Resend;

beforeAll(async () => {
  mail = await startMail({ port: await freePort() });
  // The SDK reads RESEND_BASE_URL when a client is constructed, as the app's client is.
  vi.stubEnv("RESEND_BASE_URL", mail.url);
  resend = new Resend("re_test_devstack");
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await mail.close();
});

beforeEach(async () => {
  await mail.outbox.clear();
  await fetch(`${mail.url}/_devstack/fail`, { method: "DELETE" });
});

const message = (to: string, subject = "Your report is ready") => ({
  from: "Offload <reports@offload.dev>",
  to,
  subject,
  html: "<p>Your report is ready.</p>",
  text: "Your report is ready.",
});

const armFailures = (failure: { count: number; status: number; retryAfter?: number; name?: string; to?: string }) =>
  fetch(`${mail.url}/_devstack/fail`, { method: "POST", body: JSON.stringify(failure) });

describe("POST /emails", () => {
  it("stores every field the SDK sends and answers with the email's id", async () => {
    const { data, error } = await resend.emails.send({
      from: "Offload <hello@offload.dev>",
      to: ["ada@example.com", "Grace <grace@example.com>"],
      cc: "cc@example.com",
      bcc: ["bcc@example.com"],
      replyTo: "support@offload.dev",
      subject: "Welcome to Offload",
      html: "<h1>Welcome</h1>",
      text: "Welcome",
      headers: { "List-Unsubscribe": "<https://offload.dev/unsubscribe?u=1>" },
      tags: [{ name: "flow", value: "welcome" }],
      scheduledAt: "in 1 min",
      attachments: [{ filename: "report.csv", content: Buffer.from("a,b\n1,2\n"), contentType: "text/csv" }],
    });
    expect(error).toBeNull();
    expect(data?.id).toMatch(/^[0-9a-f-]{36}$/);

    const [stored, ...others] = mail.outbox.list();
    expect(others).toHaveLength(0);
    expect(stored).toMatchObject({
      id: data?.id,
      from: "Offload <hello@offload.dev>",
      to: ["ada@example.com", "Grace <grace@example.com>"],
      cc: ["cc@example.com"],
      bcc: ["bcc@example.com"],
      reply_to: ["support@offload.dev"],
      subject: "Welcome to Offload",
      html: "<h1>Welcome</h1>",
      text: "Welcome",
      headers: { "List-Unsubscribe": "<https://offload.dev/unsubscribe?u=1>" },
      tags: [{ name: "flow", value: "welcome" }],
      scheduled_at: "in 1 min",
      attachments: [{ filename: "report.csv", content_type: "text/csv", bytes: 8 }],
      idempotency: null,
    } satisfies Partial<StoredEmail>);
  });

  it("serves the email back through emails.get, with Resend's timestamp format", async () => {
    const sent = await resend.emails.send(message("get@example.com"));
    const { data, error } = await resend.emails.get(sent.data?.id ?? "");
    expect(error).toBeNull();
    expect(data).toMatchObject({
      object: "email",
      id: sent.data?.id,
      to: ["get@example.com"],
      subject: "Your report is ready",
      cc: [],
      last_event: "delivered",
    });
    expect(data?.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+\+00$/);

    const missing = await resend.emails.get("00000000-0000-4000-8000-000000000000");
    expect(missing.error).toEqual({ statusCode: 404, name: "not_found", message: "Email not found." });
  });

  it("answers invalid emails with Resend's error names and statuses, and sends nothing", async () => {
    const cases = [
      [{ from: "a@offload.dev", subject: "s", text: "t" }, "missing_required_field", "Missing `to` field."],
      [{ ...message("x@example.com"), from: "not an address" }, "validation_error", "Invalid `from` field."],
      [{ ...message("x@example.com"), to: ["ok@example.com", "nope"] }, "validation_error", "Invalid `to` field."],
      [{ from: "a@offload.dev", to: "x@example.com", subject: "s" }, "missing_required_field", "Missing `html` or `text` field."],
      [{ ...message("x@example.com"), to: Array.from({ length: 51 }, (_, i) => `r${i}@example.com`) }, "validation_error", "at most 50"],
      [{ ...message("x@example.com"), tags: [{ name: "has space", value: "v" }] }, "validation_error", "Invalid `tags` field"],
      [{ ...message("x@example.com"), attachments: [{ filename: "empty.txt" }] }, "invalid_attachment", "`content` or `path`"],
    ] as const;
    for (const [payload, name, text] of cases) {
      // The SDK's types already rule these out; the server must too, for every other client.
      const { data, error } = await resend.emails.send(payload as never);
      expect(data).toBeNull();
      expect(error).toMatchObject({ statusCode: 422, name });
      expect(error?.message).toContain(text);
    }
    expect(mail.outbox.list()).toEqual([]);
  });

  it("refuses requests without an API key, and bodies that aren't JSON", async () => {
    const noKey = await fetch(`${mail.url}/emails`, { method: "POST", body: JSON.stringify(message("x@example.com")) });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ statusCode: 401, name: "missing_api_key" });

    const notJson = await fetch(`${mail.url}/emails`, {
      method: "POST",
      headers: { authorization: "Bearer re_test", "content-type": "application/json" },
      body: "{not json",
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ statusCode: 400, name: "validation_error" });
    expect(mail.outbox.list()).toEqual([]);
  });
});

describe("POST /emails/batch", () => {
  it("sends every email and answers with their ids in order", async () => {
    const { data, error } = await resend.batch.send([message("one@example.com", "First"), message("two@example.com", "Second")]);
    expect(error).toBeNull();
    const ids = data?.data.map((entry) => entry.id);
    expect(ids).toHaveLength(2);
    expect(ids?.map((id) => mail.outbox.get(id ?? "")?.subject)).toEqual(["First", "Second"]);
  });

  it("strict mode (the default) refuses the whole batch for one invalid email", async () => {
    const { error } = await resend.batch.send([message("ok@example.com"), { ...message("bad@example.com"), from: "nobody" }]);
    expect(error).toMatchObject({ statusCode: 422, name: "validation_error" });
    expect(error?.message).toMatch(/^emails\[1\]: Invalid `from` field/);
    expect(mail.outbox.list()).toEqual([]);
  });

  it("permissive mode sends the valid emails and reports the others by index", async () => {
    const { data, error } = await resend.batch.send(
      [{ ...message("bad@example.com"), from: "nobody" }, message("ok@example.com")],
      { batchValidation: "permissive" },
    );
    expect(error).toBeNull();
    expect(data?.data).toHaveLength(1);
    expect(data?.errors).toEqual([{ index: 0, message: expect.stringContaining("Invalid `from` field") }]);
    expect(mail.outbox.list().map((email) => email.to)).toEqual([["ok@example.com"]]);
  });

  it("refuses more than 100 emails", async () => {
    const { error } = await resend.batch.send(Array.from({ length: 101 }, () => message("many@example.com")));
    expect(error).toMatchObject({ statusCode: 422, name: "validation_error" });
    expect(mail.outbox.list()).toEqual([]);
  });
});

describe("Idempotency-Key", () => {
  it("sends once per key: a retry with the same body gets the same id", async () => {
    const first = await resend.emails.send(message("idem@example.com"), { idempotencyKey: "welcome-user/1" });
    const retry = await resend.emails.send(message("idem@example.com"), { idempotencyKey: "welcome-user/1" });
    expect(first.error).toBeNull();
    expect(retry.data?.id).toBe(first.data?.id);
    expect(mail.outbox.list()).toHaveLength(1);
    expect(mail.outbox.list()[0]?.idempotency?.key).toBe("welcome-user/1");
  });

  it("sends once when duplicates arrive concurrently", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => resend.emails.send(message("race@example.com"), { idempotencyKey: "digest/race" })),
    );
    expect(new Set(results.map((result) => result.data?.id)).size).toBe(1);
    expect(results.every((result) => result.error === null)).toBe(true);
    expect(mail.outbox.list()).toHaveLength(1);
  });

  it("refuses the same key with a different body", async () => {
    await resend.emails.send(message("idem@example.com", "First"), { idempotencyKey: "report/7" });
    const { data, error } = await resend.emails.send(message("idem@example.com", "Changed"), { idempotencyKey: "report/7" });
    expect(data).toBeNull();
    expect(error).toMatchObject({ statusCode: 409, name: "invalid_idempotent_request" });
    expect(mail.outbox.list().map((email) => email.subject)).toEqual(["First"]);
  });

  it("applies to batches as a whole", async () => {
    const batch = [message("a@example.com"), message("b@example.com")];
    const first = await resend.batch.send(batch, { idempotencyKey: "digest/2026-01-01" });
    const retry = await resend.batch.send(batch, { idempotencyKey: "digest/2026-01-01" });
    expect(retry.data?.data).toEqual(first.data?.data);
    expect(mail.outbox.list()).toHaveLength(2);
  });

  it("isn't used up by a request that failed", async () => {
    const invalid = await resend.emails.send({ ...message("late@example.com"), from: "nobody" }, { idempotencyKey: "k/1" });
    expect(invalid.error?.name).toBe("validation_error");
    const valid = await resend.emails.send(message("late@example.com"), { idempotencyKey: "k/1" });
    expect(valid.error).toBeNull();
    expect(mail.outbox.list()).toHaveLength(1);
  });
});

describe("failure injection", () => {
  it("fails the next N sends with Resend-shaped errors, then sends", async () => {
    expect((await armFailures({ count: 3, status: 500 })).status).toBe(200);
    const attempts = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      attempts.push(await resend.emails.send(message("flaky@example.com"), { idempotencyKey: "flaky/1" }));
    }
    expect(attempts.slice(0, 3).map((attempt) => attempt.error)).toEqual(
      Array(3).fill({ statusCode: 500, name: "application_error", message: "An unexpected error occurred." }),
    );
    expect(attempts[3]?.error).toBeNull();
    expect(mail.outbox.list().map((email) => email.id)).toEqual([attempts[3]?.data?.id]);
  });

  it("shows the caller a 429's Retry-After header", async () => {
    await armFailures({ count: 1, status: 429, retryAfter: 7 });
    const { error, headers } = await resend.emails.send(message("limited@example.com"));
    expect(error).toMatchObject({ statusCode: 429, name: "rate_limit_exceeded" });
    expect(headers?.["retry-after"]).toBe("7");
    expect((await resend.emails.send(message("limited@example.com"))).error).toBeNull();
  });

  it("takes any error name, such as concurrent_idempotent_requests", async () => {
    await armFailures({ count: 1, status: 409, name: "concurrent_idempotent_requests" });
    const { error } = await resend.batch.send([message("a@example.com")]);
    expect(error).toMatchObject({ statusCode: 409, name: "concurrent_idempotent_requests" });
  });

  it("fails only sends to the given recipient when `to` is set, in single and batch sends", async () => {
    await armFailures({ count: 2, status: 500, to: "target@example.com" });
    expect((await resend.emails.send(message("bystander@example.com"))).error).toBeNull();
    expect((await resend.emails.send(message("target@example.com"))).error).toMatchObject({ statusCode: 500 });
    const batch = await resend.batch.send([message("other@example.com"), message("target@example.com")]);
    expect(batch.error).toMatchObject({ statusCode: 500 });
    expect((await resend.emails.send(message("target@example.com"))).error).toBeNull();
    expect(mail.outbox.list({ to: "target@example.com" })).toHaveLength(1);
  });

  it("adds rules up: a second rule with another `to` doesn't replace the first", async () => {
    await armFailures({ count: 1, status: 500, to: "first@example.com" });
    await armFailures({ count: 1, status: 503, to: "Second <SECOND@example.com>" });
    const { data: rules } = (await (await fetch(`${mail.url}/_devstack/fail`)).json()) as { data: { to: string }[] };
    expect(rules.map((rule) => rule.to)).toEqual(["first@example.com", "second@example.com"]);

    expect((await resend.emails.send(message("bystander@example.com"))).error).toBeNull();
    expect((await resend.emails.send(message("second@example.com"))).error).toMatchObject({ statusCode: 503 });
    expect((await resend.emails.send(message("first@example.com"))).error).toMatchObject({ statusCode: 500 });
    expect((await resend.emails.send(message("first@example.com"))).error).toBeNull();
    expect((await resend.emails.send(message("second@example.com"))).error).toBeNull();
  });

  it("fails each send at most once, with the oldest rule that applies; untargeted rules fire first", async () => {
    await armFailures({ count: 1, status: 500, to: "target@example.com" });
    await armFailures({ count: 2, status: 429, to: "target@example.com" });
    await armFailures({ count: 1, status: 503 });
    const statuses = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      statuses.push((await resend.emails.send(message("target@example.com"))).error?.statusCode ?? 200);
    }
    expect(statuses).toEqual([503, 500, 429, 429, 200]);
  });

  it("is cleared by DELETE /_devstack/fail", async () => {
    await armFailures({ count: 5, status: 503 });
    await fetch(`${mail.url}/_devstack/fail`, { method: "DELETE" });
    expect((await resend.emails.send(message("ok@example.com"))).error).toBeNull();
  });

  it("refuses a malformed failure", async () => {
    const response = await fetch(`${mail.url}/_devstack/fail`, { method: "POST", body: JSON.stringify({ status: 200 }) });
    expect(response.status).toBe(400);
  });
});

describe("held responses", () => {
  it("stores the email at once but answers only on release; a retry with the key gets the same id", async () => {
    await fetch(`${mail.url}/_devstack/hold`, { method: "POST", body: JSON.stringify({ count: 1 }) });
    const first = resend.emails.send(message("held@example.com"), { idempotencyKey: "held-1" });
    await vi.waitFor(async () => {
      const { waiting } = (await (await fetch(`${mail.url}/_devstack/hold`)).json()) as { waiting: number };
      expect(waiting).toBe(1);
    });
    expect(mail.outbox.list({ to: "held@example.com" })).toHaveLength(1);

    const retry = await resend.emails.send(message("held@example.com"), { idempotencyKey: "held-1" });
    await fetch(`${mail.url}/_devstack/hold`, { method: "DELETE" });
    const { data } = await first;
    expect(retry.data?.id).toBe(data?.id);
    expect(mail.outbox.list({ to: "held@example.com" })).toHaveLength(1);
  });
});

describe("test hooks", () => {
  it("lists emails newest first, filtered by any recipient, and clears them", async () => {
    await resend.emails.send(message("first@example.com", "Older"));
    await resend.emails.send({ ...message("other@example.com", "Newer"), bcc: "First <FIRST@example.com>" });
    await resend.emails.send(message("nobody@example.com", "Unrelated"));

    const listed = await fetch(`${mail.url}/_devstack/emails?to=first@example.com`);
    const { data } = (await listed.json()) as { data: StoredEmail[] };
    expect(data.map((email) => email.subject)).toEqual(["Newer", "Older"]);

    expect((await fetch(`${mail.url}/_devstack/emails`, { method: "DELETE" })).status).toBe(204);
    expect(mail.outbox.list()).toEqual([]);
  });
});

describe("inbox pages", () => {
  const hostile = `<script>alert("x")</script> & more`;

  it("lists sent emails with their subject shown as text", async () => {
    const { data } = await resend.emails.send(message("reader@example.com", hostile));
    const response = await fetch(`${mail.url}/`);
    const page = await response.text();
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more");
    expect(page).not.toContain("<script>");
    expect(page).toContain(`href="/inbox/${data?.id}"`);
    expect(page).toContain("reader@example.com");
  });

  it("filters by recipient and says so when nothing matches", async () => {
    await resend.emails.send(message("reader@example.com"));
    const page = await (await fetch(`${mail.url}/?to=${encodeURIComponent("someone-else@example.com")}`)).text();
    expect(page).toContain("No emails to someone-else@example.com.");
    expect(page).not.toContain("reader@example.com");
  });

  it("searches recipients, sender, subject and body by substring, ignoring case", async () => {
    await resend.emails.send({ ...message("ada@example.com", "Your report is ready"), text: "Rows: 180" });
    await resend.emails.send({
      ...message("grace@example.com", "Welcome to Offload"),
      cc: "Boss <boss@corp.example>",
      text: undefined,
      html: "<p>Hello <b>Grace</b> &amp; team</p><style>.secret-class { color: red }</style>",
    });
    const subjects = async (q: string) => {
      const page = await (await fetch(`${mail.url}/?q=${encodeURIComponent(q)}`)).text();
      return [...page.matchAll(/<a href="\/inbox\/[^"]+">([^<]*)<\/a>/g)].map((match) => match[1]);
    };
    expect(await subjects("ADA@")).toEqual(["Your report is ready"]);
    expect(await subjects("corp.example")).toEqual(["Welcome to Offload"]);
    expect(await subjects("report is")).toEqual(["Your report is ready"]);
    expect(await subjects("rows: 18")).toEqual(["Your report is ready"]);
    expect(await subjects("grace & team")).toEqual(["Welcome to Offload"]);
    expect(await subjects("offload.dev")).toEqual(["Welcome to Offload", "Your report is ready"]);
    expect(await subjects("secret-class")).toEqual([]);
    expect(await (await fetch(`${mail.url}/?q=nothing-like-this`)).text()).toContain("No emails matching “nothing-like-this”.");
  });

  it("shows times with their time zone", async () => {
    await resend.emails.send(message("reader@example.com"));
    const [email] = mail.outbox.list();
    const zone = new Intl.DateTimeFormat("en-GB", { timeZoneName: "short" })
      .formatToParts(new Date(email?.created_at ?? ""))
      .find((part) => part.type === "timeZoneName")?.value;
    expect(zone).toBeTruthy();
    const page = await (await fetch(`${mail.url}/`)).text();
    expect(page).toMatch(new RegExp(`<time datetime="${email?.created_at}">[^<]+ \\d{2}:\\d{2}:\\d{2} ${zone}</time>`));
  });

  it("shows an empty state", async () => {
    expect(await (await fetch(`${mail.url}/`)).text()).toContain("No emails yet.");
  });

  it("renders one email: headers, the HTML part sandboxed in srcdoc, and the text part, all escaped", async () => {
    const { data } = await resend.emails.send({
      ...message("reader@example.com", hostile),
      html: `<p onclick="steal()">Hi & welcome</p>`,
      text: "Hi <you>",
      headers: { "List-Unsubscribe": "<https://offload.dev/u?a=1&b=2>" },
    });
    const response = await fetch(`${mail.url}/inbox/${data?.id}`);
    const page = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(page).not.toContain("<script>");
    expect(page).toContain("<h1>&lt;script&gt;");
    expect(page).toContain(
      `srcdoc="&lt;p onclick=&quot;steal()&quot;&gt;Hi &amp; welcome&lt;/p&gt;&lt;base target=&quot;_blank&quot;&gt;"`,
    );
    expect(page).toMatch(/<iframe [^>]*sandbox="allow-popups allow-popups-to-escape-sandbox"/);
    expect(page).toContain("<pre>Hi &lt;you&gt;</pre>");
    // Every header of the message, decoded for reading and escaped.
    expect(page).toContain('<tr><th scope="row">List-Unsubscribe</th><td>&lt;https://offload.dev/u?a=1&amp;b=2&gt;</td></tr>');
    expect(page).toContain('<tr><th scope="row">Subject</th><td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more</td></tr>');
    expect(page).toContain(`<tr><th scope="row">Message-ID</th><td>&lt;${data?.id}@devstack.localhost&gt;</td></tr>`);
    expect(page).toContain('<tr><th scope="row">MIME-Version</th><td>1.0</td></tr>');
  });

  it("serves the raw source and an .eml download, a message any mail parser reads back", async () => {
    const sent = {
      from: "Offload <hello@offload.dev>",
      to: ["Grâce Hopper <grace@example.com>", "ada@example.com"],
      cc: "cc@example.com",
      bcc: "audit@offload.dev",
      replyTo: "support@offload.dev",
      subject: "Ünïcödé → your report",
      html: "<p>Hi Grâce, <a href=\"https://offload.dev/r/1\">open it</a></p>",
      text: "Hi Grâce, open it: https://offload.dev/r/1",
      headers: { "List-Unsubscribe": "<https://offload.dev/unsubscribe?u=1>" },
    };
    const { data } = await resend.emails.send(sent);
    const download = await fetch(`${mail.url}/inbox/${data?.id}/download`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("message/rfc822");
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="[\x20-\x7e]+\.eml"$/);
    const raw = Buffer.from(await download.arrayBuffer());
    expect(raw.toString("latin1")).toMatch(/^[\x00-\x7f]*$/); // 7-bit clean: non-ASCII is MIME-encoded

    const parsed = await PostalMime.parse(raw);
    expect(parsed).toMatchObject({
      from: { name: "Offload", address: "hello@offload.dev" },
      to: [
        { name: "Grâce Hopper", address: "grace@example.com" },
        { name: "", address: "ada@example.com" },
      ],
      cc: [{ address: "cc@example.com" }],
      bcc: [{ address: "audit@offload.dev" }],
      replyTo: [{ address: "support@offload.dev" }],
      subject: sent.subject,
      messageId: `<${data?.id}@devstack.localhost>`,
    });
    expect(parsed.html?.trim()).toBe(sent.html);
    expect(parsed.text?.trim()).toBe(sent.text);
    expect(parsed.headers.find((header) => header.key === "list-unsubscribe")?.value).toBe(sent.headers["List-Unsubscribe"]);
    expect(new Date(parsed.date ?? "").getTime()).toBe(Math.floor(Date.parse(mail.outbox.get(data?.id ?? "")?.created_at ?? "") / 1000) * 1000);

    const source = await fetch(`${mail.url}/inbox/${data?.id}/source`);
    expect(source.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect((await PostalMime.parse(await source.text())).subject).toBe(sent.subject);
    expect((await fetch(`${mail.url}/inbox/nope/source`)).status).toBe(404);
  });

  it("deletes one email, or all, from the page's forms, and comes back to the inbox", async () => {
    const { data: kept } = await resend.emails.send(message("kept@example.com"));
    const { data: gone } = await resend.emails.send(message("gone@example.com"));
    const post = (path: string, headers: Record<string, string> = { "sec-fetch-site": "same-origin" }) =>
      fetch(`${mail.url}${path}`, { method: "POST", headers, redirect: "manual" });

    // Another site's page can't post the forms; the inbox is reachable from any tab.
    expect((await post(`/inbox/${gone?.id}/delete`, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect(mail.outbox.list()).toHaveLength(2);

    const deleted = await post(`/inbox/${gone?.id}/delete`);
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get("location")).toBe(`${mail.url}/`);
    expect(mail.outbox.list().map((email) => email.id)).toEqual([kept?.id]);
    expect((await fetch(`${mail.url}/inbox/${gone?.id}`)).status).toBe(404);

    expect((await post("/inbox/delete-all")).status).toBe(303);
    expect(mail.outbox.list()).toEqual([]);
  });

  it("streams a change event for every send and delete, for the page's live refresh", async () => {
    const controller = new AbortController();
    const response = await fetch(`${mail.url}/events`, { signal: controller.signal });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const nextEvent = async () => {
      for (;;) {
        const { value = "", done } = await reader.read();
        if (done) throw new Error("the event stream ended");
        const event = /^event: (\w+)$/m.exec(value)?.[1];
        if (event) return event;
      }
    };
    try {
      const { data } = await resend.emails.send(message("live@example.com"));
      expect(await nextEvent()).toBe("change");
      await mail.outbox.delete(data?.id ?? "");
      expect(await nextEvent()).toBe("change");
    } finally {
      controller.abort();
    }
    const script = await fetch(`${mail.url}/inbox.js`);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).toContain("new EventSource(changes)");
    expect(await (await fetch(`${mail.url}/`)).text()).toContain('<script src="/inbox.js" data-changes="/events" defer>');
  });

  it("sends each page's own Content-Length, so keep-alive connections stay in sync", async () => {
    await resend.emails.send(message("reader@example.com", "Ünïcödé → ✓"));
    for (const url of [`${mail.url}/`, `${mail.url}/?to=nobody%40example.com`, `${mail.url}/`]) {
      const response = await fetch(url);
      expect(Number(response.headers.get("content-length"))).toBe(Buffer.byteLength(await response.text()));
    }
  });

  it("answers 404 for an unknown email", async () => {
    expect((await fetch(`${mail.url}/inbox/nope`)).status).toBe(404);
  });
});

describe("persistence", () => {
  it("reloads the outbox, its deletions and its idempotency keys from dataDir after a restart", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "devstack-mail-"));
    try {
      const port = await freePort();
      const first = await startMail({ port, dataDir });
      const client = new Resend("re_test_devstack", { baseUrl: first.url });
      const sent = await client.emails.send(message("kept@example.com"), { idempotencyKey: "welcome-user/9" });
      await first.close();

      const second = await startMail({ port, dataDir });
      try {
        expect(second.outbox.list().map((email) => email.id)).toEqual([sent.data?.id]);
        const retry = await client.emails.send(message("kept@example.com"), { idempotencyKey: "welcome-user/9" });
        expect(retry.data?.id).toBe(sent.data?.id);
        expect(second.outbox.list()).toHaveLength(1);

        // A deletion is kept too.
        await second.outbox.delete(sent.data?.id ?? "");
      } finally {
        await second.close();
      }
      const third = await startMail({ port, dataDir });
      try {
        expect(third.outbox.list()).toEqual([]);
      } finally {
        await third.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe("GET /domains", () => {
  it("answers the SDK's domains.list with Resend's list shape, and wants an API key", async () => {
    const { data, error } = await resend.domains.list();
    expect(error).toBeNull();
    expect(data).toEqual({ object: "list", has_more: false, data: [] });

    const anonymous = await fetch(`${mail.url}/domains`);
    expect(anonymous.status).toBe(401);
  });
});
