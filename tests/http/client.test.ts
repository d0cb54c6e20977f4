import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { bulkReplay } from "@/lib/admin/client/api";
import { HttpError } from "@/lib/http/errors";
import { api, apiIfChanged, NotFoundError, postJson, RateLimitedError, ValidationError } from "@/lib/http/client";
import { fetchJob, type PolledJob } from "@/lib/jobs/client/api";

/** The browser helper against a stubbed fetch that answers as our route handlers do. */

type Sent = { url: string; init: RequestInit | undefined };
let sent: Sent[];
let answer: () => Response;

beforeEach(() => {
  sent = [];
  vi.stubGlobal("fetch", async (url: string, init?: RequestInit) => {
    sent.push({ url, init });
    return answer();
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const errorBody = (code: string, message: string, fields?: Record<string, string>) => ({ error: { code, message, fields } });
const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("it was accepted");
};

describe("api()", () => {
  it("sends JSON with the query, headers and signal, never from the HTTP cache, and parses the answer", async () => {
    answer = () => Response.json({ jobId: "j1", statusUrl: "/api/jobs/j1" }, { status: 202 });
    const signal = new AbortController().signal;
    const accepted = await api("/api/reports", z.object({ jobId: z.string(), statusUrl: z.string() }), {
      method: "POST",
      query: { a: "1", b: undefined, c: null, n: 2 },
      json: { kind: "summary" },
      headers: { "Idempotency-Key": "k" },
      signal,
    });
    expect(accepted).toEqual({ jobId: "j1", statusUrl: "/api/jobs/j1" });
    const { url, init } = sent[0] ?? {};
    expect(url).toBe("/api/reports?a=1&n=2");
    expect(init).toMatchObject({ method: "POST", body: '{"kind":"summary"}', cache: "no-store", signal });
    expect(init?.headers).toEqual({ "Content-Type": "application/json", "Idempotency-Key": "k" });
  });

  it("returns undefined for a 204", async () => {
    answer = () => new Response(null, { status: 204 });
    await expect(postJson("/api/auth/sign-out")).resolves.toBeUndefined();
    expect(sent[0]?.init?.body).toBeUndefined();
  });

  it("throws the route's error as a typed error", async () => {
    answer = () => Response.json(errorBody("rate_limited", "Slow down."), { status: 429, headers: { "Retry-After": "7" } });
    const limited = await refusal(api("/x", z.object({})));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ status: 429, code: "rate_limited", message: "Slow down.", retryAfterSeconds: 7 });

    answer = () => Response.json(errorBody("invalid_request", "Check these fields: to.", { to: "Not in the future." }), { status: 400 });
    const invalid = await refusal(api("/x", z.object({})));
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid).toMatchObject({ fields: { to: "Not in the future." } });

    answer = () => Response.json(errorBody("not_found", "Nothing here."), { status: 404 });
    const missing = await refusal(api("/x", z.object({})));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toBeInstanceOf(HttpError);
  });

  it("falls back to a generic error for an answer that isn't our error body", async () => {
    answer = () => new Response("<html>Bad gateway</html>", { status: 502 });
    const error = await refusal(api("/x", z.object({})));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 502, code: "http_error" });
    answer = () => Response.json({ error: "nope" }, { status: 500 });
    expect(await refusal(api("/x", z.object({})))).toMatchObject({ code: "http_error" });
  });

  it("refuses a success answer that doesn't fit its schema", async () => {
    answer = () => Response.json({ jobId: 3 });
    expect(await refusal(api("/x", z.object({ jobId: z.string() })))).toMatchObject({ code: "unexpected_answer" });
  });

  it("lets a network failure through as it is", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    const error = await refusal(api("/x", z.object({})));
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(HttpError);
  });
});

describe("apiIfChanged() and the job poll", () => {
  it("sends If-None-Match and keeps the previous object on a 304", async () => {
    answer = () => new Response(null, { status: 304, headers: { ETag: '"v1"' } });
    const previous: PolledJob = { job: { id: "j1" } as PolledJob["job"], etag: '"v1"' };
    expect(await fetchJob("j1", previous)).toBe(previous);
    expect(sent[0]?.init?.headers).toEqual({ "If-None-Match": '"v1"' });
  });

  it("reads a job whose own error field is set as the job, not as a refusal", async () => {
    answer = () => Response.json({ id: "j1", status: "failed", error: "The report failed." }, { headers: { ETag: '"v3"' } });
    const polled = await fetchJob("j1", undefined);
    expect(polled).toEqual({ job: { id: "j1", status: "failed", error: "The report failed." }, etag: '"v3"' });
  });

  it("returns the new answer and its ETag when it changed", async () => {
    answer = () => Response.json({ id: "j1", status: "completed" }, { headers: { ETag: '"v2"' } });
    expect(await apiIfChanged("/api/jobs/j1", z.object({ id: z.string() }), { etag: '"v1"' })).toEqual({
      modified: true,
      data: { id: "j1" },
      etag: '"v2"',
    });
  });
});

describe("bulkReplay()", () => {
  it("reads a 409 selection_changed with its preview as an answer", async () => {
    const preview = { count: 3, selection: "abc", cap: 10, capped: false };
    answer = () => Response.json({ ...errorBody("selection_changed", "It changed."), preview }, { status: 409 });
    expect(await bulkReplay({ filter: {} })).toEqual({ kind: "changed", preview, message: "It changed." });
  });

  it("throws any other refusal", async () => {
    answer = () => Response.json(errorBody("not_found", "Nothing here."), { status: 404 });
    expect(await refusal(bulkReplay({ filter: {} }))).toBeInstanceOf(NotFoundError);
  });
});
