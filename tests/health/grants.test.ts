/**
 * The grants check through supabase-js against a stand-in for the Data API on loopback,
 * answering as PostgREST does: a table without a SELECT grant is `42501` (403 for the
 * service role), a table that isn't there is `PGRST205` (404).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkTableGrants } from "@/lib/health/deep";
import type { Database } from "@/lib/supabase/database.types";
import { freePort } from "../support/free-port";

let dataApi: http.Server;
let url: string;

beforeAll(async () => {
  dataApi = http.createServer((req, res) => {
    const table = new URL(req.url ?? "/", "http://x").pathname.replace("/rest/v1/", "");
    const answer = (status: number, body: unknown) =>
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    if (table === "jobs") {
      return answer(403, {
        code: "42501",
        details: null,
        hint: "Grant the required privileges to the current role with: GRANT SELECT ON public.jobs TO service_role;",
        message: "permission denied for table jobs",
      });
    }
    if (table === "reports") {
      return answer(404, {
        code: "PGRST205",
        details: null,
        hint: null,
        message: "Could not find the table 'public.reports' in the schema cache",
      });
    }
    answer(200, []);
  });
  await new Promise<void>((resolve) => dataApi.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(dataApi.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => dataApi.close(resolve)));

const client = (base: string) =>
  createClient<Database>(base, "sb_secret_test", { auth: { persistSession: false, autoRefreshToken: false } });

describe("checkTableGrants", () => {
  it("names each table the secret key can't read, and why, in codes only", async () => {
    const { report } = await checkTableGrants(client(url));
    expect(report.ok).toBe(false);
    expect(report.tables.jobs).toBe("missing_grants");
    expect(report.tables.reports).toBe("missing_table");
    const others = Object.entries(report.tables).filter(([table]) => table !== "jobs" && table !== "reports");
    expect(others.length).toBeGreaterThan(5);
    for (const [, answer] of others) expect(answer).toBe("ok");
    expect(JSON.stringify(report)).not.toMatch(/permission denied|GRANT|schema cache/);
  });

  it("says unreachable when nothing answers", async () => {
    const { report } = await checkTableGrants(client(`http://127.0.0.1:${await freePort()}`));
    expect(new Set(Object.values(report.tables))).toEqual(new Set(["unreachable"]));
  });
});
