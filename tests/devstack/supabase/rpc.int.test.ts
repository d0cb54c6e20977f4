import { randomUUID } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { LOCAL_SECRET_KEY } from "@/devstack/supabase/keys";
import { z } from "zod";
import { sql } from "../../support/sql";

/**
 * RPC as PostgREST calls functions (docs: API › Functions as RPC; source: Plan.hs `findProc`,
 * Query/QueryBuilder.hs `callPlanToQuery`, Query/SqlFragment.hs `fromJsonBodyF`,
 * ApiRequest/Payload.hs `getPayload`). The functions are made here, as a migration would:
 * owned by the migration owner, executable by the service role only.
 */

// Untyped client: the functions below are made by the test, not by our migrations.
const service = () => createClient(inject("supabaseUrl"), LOCAL_SECRET_KEY, { auth: { persistSession: false } });

/** A request the client library can't make (a raw body, a chosen Content-Type, exact JSON text). */
async function call(fn: string, init: { method?: string; query?: string; contentType?: string; body?: BodyInit }) {
  const response = await fetch(`${inject("supabaseUrl")}/rest/v1/rpc/${fn}${init.query ?? ""}`, {
    method: init.method ?? "POST",
    headers: {
      apikey: LOCAL_SECRET_KEY,
      Authorization: `Bearer ${LOCAL_SECRET_KEY}`,
      ...(init.contentType && { "Content-Type": init.contentType }),
    },
    body: init.body,
  });
  const body: unknown = await response.json();
  return { status: response.status, body };
}

const suffix = randomUUID().slice(0, 8);
const name = (base: string) => `${base}_${suffix}`;

/** Creates `public.<fn>(<signature>)`, as a migration would, executable by the service role. */
async function createFunction(fn: string, signature: string, rest: string) {
  await sql(`create function public.${fn}(${signature}) ${rest}`);
  // The newest function of that name is the one just made (an overload has the same name).
  const [{ args }] = z
    .tuple([z.object({ args: z.string() })])
    .parse(
      await sql(`select pg_get_function_identity_arguments(oid) as args from pg_proc
        where proname = '${fn}' order by oid desc limit 1`),
    );
  await sql(`alter function public.${fn}(${args}) owner to migration_owner`);
  await sql(`revoke execute on function public.${fn}(${args}) from public`);
  await sql(`grant execute on function public.${fn}(${args}) to service_role`);
}

describe("RPC arguments from a JSON body reach the function as PostgREST passes them", () => {
  const row = name("rpc_row");
  const rowText = name("row_text");
  const rowsSum = name("rows_sum");
  const echo = name("echo_jsonb");
  const nField = name("n_field");
  const bigText = name("big_text");
  const camel = name("camel_arg");
  const dashed = name("dashed_arg");
  const unnamedJson = name("unnamed_json");
  const unnamedJsonN = name("unnamed_json_n");
  const variadicCount = name("variadic_count");

  beforeAll(async () => {
    await sql(`create table public.${row} (a int, b text)`);
    await sql(`alter table public.${row} owner to migration_owner`);
    await createFunction(rowText, `p public.${row}`, `returns text language sql as $$ select p.a || ':' || coalesce(p.b, '') $$`);
    await createFunction(rowsSum, `ps public.${row}[]`, `returns int language sql as $$ select sum(a)::int from unnest(ps) $$`);
    await createFunction(echo, "payload jsonb", "returns jsonb language sql as $$ select payload $$");
    await createFunction(nField, "payload jsonb", "returns text language sql as $$ select payload #>> '{nested,n}' $$");
    await createFunction(bigText, "n bigint", "returns text language sql as $$ select n::text $$");
    await createFunction(camel, `"userId" int, "pageSize" int default 10`, `returns text language sql as $$ select "userId" || '/' || "pageSize" $$`);
    await createFunction(dashed, `"user-id" int`, `returns int language sql as $$ select "user-id" * 2 $$`);
    await createFunction(unnamedJson, "json", "returns json language sql as $$ select $1 $$");
    await createFunction(unnamedJsonN, "json", "returns text language sql as $$ select $1 #>> '{n}' $$");
    await createFunction(variadicCount, "variadic v int[]", "returns int language sql as $$ select cardinality(v) $$");
  });

  // SqlFragment.hs fromJsonBodyF: json_to_record turns an object into the row type.
  it("passes an object to a row-typed (composite) argument; missing fields are null", async () => {
    const full = await service().rpc(rowText, { p: { a: 1, b: "x" } });
    expect(full).toMatchObject({ status: 200, error: null, data: "1:x" });
    const partial = await service().rpc(rowText, { p: { a: 2 } });
    expect(partial).toMatchObject({ status: 200, error: null, data: "2:" });
  });

  it("passes an array of objects to an array-of-rows argument", async () => {
    const { status, data, error } = await service().rpc(rowsSum, { ps: [{ a: 1, b: "x" }, { a: 2 }, { a: 4, b: "z" }] });
    expect(error).toBeNull();
    expect({ status, data }).toEqual({ status: 200, data: 7 });
  });

  it("passes a jsonb argument as the JSON sent, on PostgreSQL too (not as a JSON string)", async () => {
    const payload = { nested: { n: 5 }, list: [1, "two", null], flag: true };
    const echoed = await service().rpc(echo, { payload });
    expect(echoed).toMatchObject({ status: 200, error: null, data: payload });
    const field = await service().rpc(nField, { payload });
    expect(field).toMatchObject({ status: 200, error: null, data: "5" });
  });

  // The body reaches PostgreSQL as text, so no digit is lost to a JavaScript number.
  it("keeps every digit of an integer beyond 2^53, nested in jsonb or for a bigint argument", async () => {
    const nested = await call(nField, { contentType: "application/json", body: '{"payload":{"nested":{"n":9007199254740993}}}' });
    expect(nested).toEqual({ status: 200, body: "9007199254740993" });
    const big = await call(bigText, { contentType: "application/json", body: '{"n": 9007199254740993}' });
    expect(big).toEqual({ status: 200, body: "9007199254740993" });
  });

  it("matches argument names exactly (quoted) and leaves defaulted arguments to their defaults", async () => {
    const defaulted = await service().rpc(camel, { userId: 7 });
    expect(defaulted).toMatchObject({ status: 200, error: null, data: "7/10" });
    const both = await service().rpc(camel, { userId: 7, pageSize: 3 });
    expect(both).toMatchObject({ status: 200, error: null, data: "7/3" });
    // pgFmtIdent quotes every name, so one that isn't a plain identifier is fine too.
    const odd = await service().rpc(dashed, { "user-id": 21 });
    expect(odd).toMatchObject({ status: 200, error: null, data: 42 });
  });

  // Plan.hs findProc: no function takes the keys, so the single unnamed json parameter gets the body as-is.
  it("passes the whole body, as sent, to a single unnamed json parameter", async () => {
    const echoed = await service().rpc(unnamedJson, { any: { keys: [1, 2] } });
    expect(echoed).toMatchObject({ status: 200, error: null, data: { any: { keys: [1, 2] } } });
    const exact = await call(unnamedJsonN, { contentType: "application/json", body: '{"n":9007199254740993}' });
    expect(exact).toEqual({ status: 200, body: "9007199254740993" });
  });

  it("passes an array to a variadic argument", async () => {
    const posted = await service().rpc(variadicCount, { v: [1, 2, 3] });
    expect(posted).toMatchObject({ status: 200, error: null, data: 3 });
  });
});

describe("RPC with a single unnamed text, xml or bytea parameter gets the raw body", () => {
  const text = name("raw_text");
  const xml = name("raw_xml");
  const bytes = name("raw_bytea");
  const table = name("rpc_plain");

  beforeAll(async () => {
    await createFunction(text, "text", "returns text language sql as $$ select upper($1) $$");
    await createFunction(xml, "xml", "returns text language sql as $$ select (xpath('/a/text()', $1))[1]::text $$");
    await createFunction(bytes, "bytea", "returns text language sql as $$ select encode($1, 'hex') $$");
    await sql(`create table public.${table} (id int)`);
    await sql(`alter table public.${table} owner to migration_owner`);
    await sql(`grant insert on public.${table} to service_role`);
  });

  it("calls f(text) with a text/plain body", async () => {
    expect(await call(text, { contentType: "text/plain", body: "hello, world" })).toEqual({ status: 200, body: "HELLO, WORLD" });
  });

  it("calls f(xml) with a text/xml body", async () => {
    expect(await call(xml, { contentType: "text/xml", body: "<a>inside</a>" })).toEqual({ status: 200, body: "inside" });
  });

  it("calls f(bytea) with an application/octet-stream body, byte for byte", async () => {
    const body = new Uint8Array([0x00, 0xff, 0x80, 0x0a, 0xc3]);
    expect(await call(bytes, { contentType: "application/octet-stream", body })).toEqual({ status: 200, body: "00ff800ac3" });
  });

  // Error.hs NoRpc: the parameter list is left out of the message and the hint is null.
  it("answers 404 PGRST202 when no function takes that single unnamed parameter", async () => {
    expect(await call(text, { contentType: "text/xml", body: "<a/>" })).toEqual({
      status: 404,
      body: {
        code: "PGRST202",
        message: `Could not find the function public.${text} in the schema cache`,
        details: `Searched for the function public.${text} with a single unnamed xml parameter, but no matches were found in the schema cache.`,
        hint: null,
      },
    });
  });

  // Payload.hs getPayload: raw bodies are for routines only.
  it("still refuses a text/plain body to a table with 400 PGRST102", async () => {
    const response = await fetch(`${inject("supabaseUrl")}/rest/v1/${table}`, {
      method: "POST",
      headers: { apikey: LOCAL_SECRET_KEY, Authorization: `Bearer ${LOCAL_SECRET_KEY}`, "Content-Type": "text/plain" },
      body: "1",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "PGRST102", message: "Content-Type not acceptable: text/plain" });
  });
});

// Plan.hs findProc: overloads are told apart by their argument names; PGRST203 only when that can't.
describe("RPC overloaded functions resolve by argument names, as PostgREST resolves them", () => {
  const byName = name("overloaded");
  const byCount = name("overloaded_count");
  const sameNames = name("overloaded_types");
  const withJson = name("overloaded_json");

  beforeAll(async () => {
    await createFunction(byName, "a int", "returns text language sql stable as $$ select 'a=' || a $$");
    await createFunction(byName, "b text", "returns text language sql stable as $$ select 'b=' || b $$");
    await createFunction(byCount, "a int", "returns text language sql as $$ select 'one' $$");
    await createFunction(byCount, "a int, b int", "returns text language sql as $$ select 'two' $$");
    await createFunction(sameNames, "a int", "returns text language sql as $$ select 'int' $$");
    await createFunction(sameNames, "a text", "returns text language sql as $$ select 'text' $$");
    await createFunction(withJson, "a int", "returns text language sql as $$ select 'named' $$");
    await createFunction(withJson, "jsonb", "returns text language sql as $$ select 'json ' || $1::text $$");
  });

  it("calls the overload whose argument names the body (or query string) gives", async () => {
    expect(await service().rpc(byName, { a: 1 })).toMatchObject({ status: 200, data: "a=1" });
    expect(await service().rpc(byName, { b: "x" })).toMatchObject({ status: 200, data: "b=x" });
    expect(await service().rpc(byName, { b: "y" }, { get: true })).toMatchObject({ status: 200, data: "b=y" });
    expect(await service().rpc(byCount, { a: 1 })).toMatchObject({ status: 200, data: "one" });
    expect(await service().rpc(byCount, { a: 1, b: 2 })).toMatchObject({ status: 200, data: "two" });
  });

  it("falls back to the single unnamed jsonb overload when no named one takes the keys", async () => {
    expect(await service().rpc(withJson, { a: 1 })).toMatchObject({ status: 200, data: "named" });
    expect(await service().rpc(withJson, { z: 1 })).toMatchObject({ status: 200, data: 'json {"z": 1}' });
  });

  it("answers 300 PGRST203 when two overloads take the same names", async () => {
    const { status, error } = await service().rpc(sameNames, { a: 1 });
    expect(status).toBe(300);
    expect(error).toMatchObject({
      code: "PGRST203",
      details: null,
      hint: "Try renaming the parameters or the function itself in the database so function overloading can be resolved",
    });
    expect(error?.message).toMatch(/^Could not choose the best candidate function between: /);
    expect(error?.message).toContain(`public.${sameNames}(a => integer)`);
    expect(error?.message).toContain(`public.${sameNames}(a => text)`);
  });

  it("answers 404 PGRST202 when no overload takes the names", async () => {
    const { status, error } = await service().rpc(byName, { c: 1 }, { get: true });
    expect(status).toBe(404);
    expect(error).toMatchObject({
      code: "PGRST202",
      message: `Could not find the function public.${byName}(c) in the schema cache`,
      details: `Searched for the function public.${byName} with parameter c, but no matches were found in the schema cache.`,
    });
  });
});

// CallPlan.hs toRpcParams / QueryBuilder.hs fmtArgs: each query-string value is a literal cast to the argument's type.
describe("RPC over GET (and with a form body) passes text arguments as PostgREST does", () => {
  const echo = name("get_echo");
  const rowText = name("get_row_text");
  const row = name("get_row");
  const arrayLength = name("get_array");
  const variadicCount = name("get_variadic");

  beforeAll(async () => {
    await sql(`create table public.${row} (a int, b text)`);
    await sql(`alter table public.${row} owner to migration_owner`);
    await createFunction(echo, "p jsonb", "returns jsonb language sql stable as $$ select p $$");
    await createFunction(rowText, `p public.${row}`, `returns text language sql stable as $$ select p.a || ':' || p.b $$`);
    await createFunction(arrayLength, "v int[]", "returns int language sql stable as $$ select cardinality(v) $$");
    await createFunction(variadicCount, "variadic v int[]", "returns int language sql stable as $$ select cardinality(v) $$");
  });

  it("passes a jsonb argument as the JSON it holds, on PostgreSQL too", async () => {
    const got = await service().rpc(echo, { p: JSON.stringify({ n: 1, s: "x" }) }, { get: true });
    expect(got).toMatchObject({ status: 200, error: null, data: { n: 1, s: "x" } });
    // A form body is read the same way (Plan.hs callReadPlan: MTUrlEncoded → DirectArgs).
    const form = await call(echo, { contentType: "application/x-www-form-urlencoded", body: new URLSearchParams({ p: '{"n":2}' }) });
    expect(form).toEqual({ status: 200, body: { n: 2 } });
  });

  it("passes a row literal to a row-typed argument and an array to an array argument", async () => {
    expect(await service().rpc(rowText, { p: "(1,x)" }, { get: true })).toMatchObject({ status: 200, data: "1:x" });
    expect(await service().rpc(arrayLength, { v: [1, 2, 3] }, { get: true })).toMatchObject({ status: 200, data: 3 });
  });

  it("collects a repeated key into a variadic argument", async () => {
    expect(await call(variadicCount, { method: "GET", query: "?v=1&v=2&v=3" })).toEqual({ status: 200, body: 3 });
  });

  // supabase-js sends an array as one `{1,2,3}` value; for a variadic argument PostgREST makes
  // that the single element of the array, which is not an integer.
  it("takes supabase-js's one `{1,2,3}` value as one variadic element, as PostgREST does", async () => {
    const { status, error } = await service().rpc(variadicCount, { v: [1, 2, 3] }, { get: true });
    expect(status).toBe(400);
    expect(error).toMatchObject({ code: "22P02", message: 'invalid input syntax for type integer: "{1,2,3}"' });
  });
});
