import { randomUUID } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY } from "@/devstack/supabase/keys";
import { sql } from "../../support/sql";

/**
 * Errors PostgreSQL raises while PostgREST runs a request (in a trigger, a function, a
 * constraint) answer with the SQLSTATE as `code`, PostgreSQL's message, detail and hint,
 * and the HTTP status PostgREST gives that SQLSTATE (source: src/library/PostgREST/Error.hs,
 * `mapSQLtoHTTP`, and the `ErrorBody` of a `ServerError`; docs: references/errors.rst
 * "HTTP status codes"). `authed` there is "the request's role isn't the anonymous role".
 */

// Untyped clients: the objects below are made by the test, not by our migrations.
const noSession = { auth: { persistSession: false, autoRefreshToken: false } };
const service = () => createClient(inject("supabaseUrl"), LOCAL_SECRET_KEY, noSession);
const anon = () => createClient(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, noSession);

const suffix = randomUUID().slice(0, 8);
const raises = `raises_${suffix}`;
const raiseFn = `raise_${suffix}`;
const checked = `checked_${suffix}`;
const parent = `parent_${suffix}`;
const failing = `failing_${suffix}`;

/**
 * Each SQLSTATE raised (`RAISE ... USING ERRCODE`) and the status PostgREST answers it
 * with, row by row of `mapSQLtoHTTP`; a message is given where the status depends on it.
 */
const statuses: { code: string; status: number; message?: string }[] = [
  { code: "08006", status: 503 }, // connection exception
  { code: "09000", status: 500 }, // triggered action exception
  { code: "0L000", status: 403 }, // invalid grantor
  { code: "0P000", status: 403 }, // invalid role specification
  { code: "23503", status: 409 }, // foreign_key_violation
  { code: "23505", status: 409 }, // unique_violation
  { code: "25006", status: 405 }, // read_only_sql_transaction
  { code: "21000", status: 500 }, // cardinality_violation
  { code: "21000", status: 400, message: "DELETE requires a WHERE clause" }, // pg-safeupdate
  { code: "22023", status: 400 }, // invalid_parameter_value
  { code: "22023", status: 401, message: 'role "nobody" does not exist' },
  { code: "25001", status: 500 }, // invalid transaction state
  { code: "28000", status: 403 }, // invalid authorization specification
  { code: "2D000", status: 500 }, // invalid transaction termination
  { code: "38000", status: 500 }, // external routine exception
  { code: "39000", status: 500 }, // external routine invocation exception
  { code: "3B000", status: 500 }, // savepoint exception
  { code: "40001", status: 500 }, // serialization_failure
  { code: "53400", status: 500 }, // configuration_limit_exceeded
  { code: "53300", status: 503 }, // too_many_connections
  { code: "54000", status: 500 }, // program_limit_exceeded
  { code: "55P03", status: 500 }, // lock_not_available
  { code: "57P01", status: 503 }, // admin_shutdown
  { code: "57014", status: 500 }, // query_canceled (statement timeout)
  { code: "58000", status: 500 }, // system_error
  { code: "F0000", status: 500 }, // config_file_error
  { code: "HV000", status: 500 }, // fdw_error
  { code: "P0001", status: 400 }, // raise_exception, RAISE's default
  { code: "P0002", status: 500 }, // no_data_found
  { code: "XX000", status: 500 }, // internal_error
  { code: "42883", status: 404 }, // undefined_function
  { code: "42883", status: 406, message: "function xmlagg(text) does not exist" },
  { code: "42P01", status: 404 }, // undefined_table
  { code: "42P17", status: 500 }, // invalid_object_definition
  { code: "42501", status: 403 }, // insufficient_privilege, with a role that isn't anon
  // Everything else is a client error.
  { code: "23514", status: 400 }, // check_violation
  { code: "23502", status: 400 }, // not_null_violation
  { code: "22012", status: 400 }, // division_by_zero
  { code: "0A000", status: 400 }, // feature_not_supported
  { code: "OF001", status: 400 }, // an application's own code
];
const cases = statuses.map((raise) => ({ ...raise, title: raise.message ? `${raise.code} "${raise.message}"` : raise.code }));

/** What PostgREST answers for a `ServerError`: the raised parts, as they are. */
const raised = ({ code, message }: { code: string; message?: string }) => ({
  code,
  message: message ?? `raised ${code}`,
  details: `detail of ${code}`,
  hint: `hint for ${code}`,
});

beforeAll(async () => {
  // One function raises what it is told; a trigger on `raises` raises what the row says.
  await sql(`create function public.${raiseFn}(code text, message text default null) returns void
    language plpgsql as $$
    begin
      raise exception using errcode = code, message = coalesce(message, 'raised ' || code),
        detail = 'detail of ' || code, hint = 'hint for ' || code;
    end $$`);
  await sql(`alter function public.${raiseFn}(text, text) owner to migration_owner`);
  await sql(`grant execute on function public.${raiseFn}(text, text) to anon, service_role`);
  await sql(`create table public.${raises} (id bigint generated by default as identity primary key, code text, message text)`);
  await sql(`alter table public.${raises} owner to migration_owner`);
  await sql(`grant select, insert on public.${raises} to anon, service_role`);
  await sql(`create function public.${raises}_trigger() returns trigger language plpgsql as $$
    begin
      perform public.${raiseFn}(new.code, new.message);
      return new;
    end $$`);
  await sql(`alter function public.${raises}_trigger() owner to migration_owner`);
  await sql(`create trigger raise before insert on public.${raises} for each row execute function public.${raises}_trigger()`);

  // The database's own errors: a check constraint, a foreign key, a unique key.
  await sql(`create table public.${parent} (id int primary key)`);
  await sql(`create table public.${checked} (id int primary key, n int check (n > 0), parent int references public.${parent})`);
  for (const table of [parent, checked]) {
    await sql(`alter table public.${table} owner to migration_owner`);
    await sql(`grant select, insert on public.${table} to service_role`);
  }
  // A function failing inside: division by zero, a table and a function that don't exist.
  await sql(`create function public.${failing}(what text) returns int language plpgsql as $$
    begin
      if what = 'divide' then return 1 / 0; end if;
      if what = 'table' then execute 'select 1 from public.no_such_table_${suffix}'; end if;
      if what = 'function' then execute 'select public.no_such_function_${suffix}()'; end if;
      return 0;
    end $$`);
  await sql(`alter function public.${failing}(text) owner to migration_owner`);
  await sql(`grant execute on function public.${failing}(text) to service_role`);
});

describe("a SQLSTATE raised in a function (rpc) answers with that code and PostgREST's status", () => {
  it.each(cases)("$title → $status", async (raise) => {
    const { status, error } = await service().rpc(raiseFn, { code: raise.code, message: raise.message ?? null });
    expect({ status, error }).toEqual({ status: raise.status, error: raised(raise) });
  });
});

describe("a SQLSTATE raised in a trigger answers with that code and PostgREST's status", () => {
  it.each(cases)("$title → $status", async (raise) => {
    const { status, error } = await service()
      .from(raises)
      .insert({ code: raise.code, message: raise.message ?? null });
    expect({ status, error }).toEqual({ status: raise.status, error: raised(raise) });
    expect(await sql(`select count(*)::int as n from public.${raises}`)).toEqual([{ n: 0 }]);
  });
});

describe("insufficient_privilege (42501) depends on who asks", () => {
  it("is 403 for a signed-in or service role, 401 with WWW-Authenticate for the anonymous role", async () => {
    const signedIn = await service().rpc(raiseFn, { code: "42501" });
    expect(signedIn).toMatchObject({ status: 403, error: raised({ code: "42501" }) });

    const response = await fetch(`${inject("supabaseUrl")}/rest/v1/rpc/${raiseFn}`, {
      method: "POST",
      headers: { apikey: LOCAL_PUBLISHABLE_KEY, "Content-Type": "application/json" },
      body: JSON.stringify({ code: "42501" }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    expect(await response.json()).toEqual(raised({ code: "42501" }));

    const inTrigger = await anon().from(raises).insert({ code: "42501" });
    expect(inTrigger).toMatchObject({ status: 401, error: raised({ code: "42501" }) });
  });
});

describe("the database's own errors answer as PostgREST passes them on", () => {
  it("a check constraint: 400 check_violation, with the failing row", async () => {
    const { status, error } = await service().from(checked).insert({ id: 1, n: 0 });
    expect({ status, error }).toEqual({
      status: 400,
      error: {
        code: "23514",
        message: `new row for relation "${checked}" violates check constraint "${checked}_n_check"`,
        details: "Failing row contains (1, 0, null).",
        hint: null,
      },
    });
  });

  it("a foreign key and a unique key: 409", async () => {
    const orphan = await service().from(checked).insert({ id: 2, n: 1, parent: 7 });
    expect(orphan).toMatchObject({
      status: 409,
      error: {
        code: "23503",
        message: `insert or update on table "${checked}" violates foreign key constraint "${checked}_parent_fkey"`,
        details: `Key (parent)=(7) is not present in table "${parent}".`,
      },
    });
    expect(await service().from(checked).insert({ id: 3, n: 1 })).toMatchObject({ status: 201, error: null });
    const again = await service().from(checked).insert({ id: 3, n: 1 });
    expect(again).toMatchObject({
      status: 409,
      error: { code: "23505", message: `duplicate key value violates unique constraint "${checked}_pkey"`, details: "Key (id)=(3) already exists." },
    });
  });

  it("division by zero in a function: 400", async () => {
    const { status, error } = await service().rpc(failing, { what: "divide" });
    expect({ status, code: error?.code, message: error?.message }).toEqual({ status: 400, code: "22012", message: "division by zero" });
  });

  it("a table or a function missing inside a function: 404 with PostgreSQL's code and message", async () => {
    const table = await service().rpc(failing, { what: "table" });
    expect({ status: table.status, code: table.error?.code, message: table.error?.message }).toEqual({
      status: 404,
      code: "42P01",
      message: `relation "public.no_such_table_${suffix}" does not exist`,
    });
    const fn = await service().rpc(failing, { what: "function" });
    expect({ status: fn.status, code: fn.error?.code, message: fn.error?.message }).toEqual({
      status: 404,
      code: "42883",
      message: `function public.no_such_function_${suffix}() does not exist`,
    });
  });
});
