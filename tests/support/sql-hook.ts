import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";

const sqlRequestSchema = z.object({ text: z.string(), params: z.array(z.unknown()).default([]) });

export type SqlHook = { url: string; close: () => Promise<void> };

/** What a SqlHook answers: the rows, or `{ error }` with status 400. */
const sqlAnswerSchema = z.union([z.array(z.record(z.string(), z.unknown())), z.object({ error: z.string() })]);

/**
 * Test-only: SQL as the database owner over loopback HTTP, `POST { text, params? }`
 * answered with the rows. It lives in the process that runs the devstack's Supabase,
 * because in-memory PGlite can only be reached from there; over a PostgreSQL server it
 * works the same. For seeding at scale and checking what the API can't show.
 * `port` 0 (the default) lets the OS choose; the URL says which.
 */
export async function startSqlHook(
  query: (text: string, params: unknown[]) => Promise<unknown[]>,
  port = 0,
): Promise<SqlHook> {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      void (async () => {
        try {
          const { text, params } = sqlRequestSchema.parse(JSON.parse(body));
          const rows = await query(text, params);
          // int8 comes back from PGlite as a BigInt, which JSON has no number for.
          const json = JSON.stringify(rows, (_, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
          res.writeHead(200, { "content-type": "application/json" }).end(json);
        } catch (error) {
          res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: String(error) }));
        }
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Sends one statement to a SqlHook and returns its rows; a failed statement throws its error. */
export async function querySqlHook(url: string, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const response = await fetch(url, { method: "POST", body: JSON.stringify({ text, params }) });
  const answer = sqlAnswerSchema.parse(await response.json());
  if (!Array.isArray(answer)) throw new Error(`SQL failed: ${answer.error}`);
  return answer;
}
