import { randomUUID } from "node:crypto";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY } from "@/devstack/supabase/keys";
import { serviceClient, signUpUser } from "../support/supabase";
import { sql } from "../support/sql";

// Untyped clients: the objects below are made by the test, not by our migrations.
const client = (key: string) => createClient(inject("supabaseUrl"), key, { auth: { persistSession: false } });
const anon = () => client(LOCAL_PUBLISHABLE_KEY);
const service = () => client(LOCAL_SECRET_KEY);

/**
 * The devstack's Supabase fails where a hosted project created today fails, so our own
 * tests catch what would break a real deployment. Each case is a documented hosted
 * default; the table and functions here are made for the test, as a migration would.
 */
describe("the local Supabase has today's hosted defaults", () => {
  const table = `ungranted_${randomUUID().slice(0, 8)}`;
  const sleep = `sleep_for_${randomUUID().slice(0, 8)}`;
  const quick = `quick_limit_${randomUUID().slice(0, 8)}`;
  let user: SupabaseClient;

  beforeAll(async () => {
    const { email, password } = await signUpUser("Hosted");
    user = client(LOCAL_PUBLISHABLE_KEY);
    const signedIn = await user.auth.signInWithPassword({ email, password });
    if (signedIn.error) throw signedIn.error;
    // Owned by the migration owner, as after `supabase db push`, with RLS and a policy but
    // no grant: exactly the migration that works on an old project and not on a new one.
    const statements = [
      `create table public.${table} (id int primary key)`,
      `alter table public.${table} owner to migration_owner`,
      `alter table public.${table} enable row level security`,
      `create policy "everyone reads" on public.${table} for select using (true)`,
      `insert into public.${table} values (1)`,
      `create function public.${sleep}(seconds double precision) returns boolean
         language sql as 'select pg_sleep(seconds) is not null'`,
      `alter function public.${sleep}(double precision) owner to migration_owner`,
      `grant execute on function public.${sleep}(double precision) to anon, service_role`,
      `create function public.${quick}(seconds double precision) returns boolean
         language sql set statement_timeout = '200ms' as 'select pg_sleep(seconds) is not null'`,
      `alter function public.${quick}(double precision) owner to migration_owner`,
      `grant execute on function public.${quick}(double precision) to service_role`,
    ];
    for (const statement of statements) await sql(statement);
  });

  it("gives a new public table no Data API grants: every role is refused with 42501", async () => {
    const asService = await service().from(table).select("*");
    expect(asService.error?.code).toBe("42501");
    expect(asService.error?.message).toContain("permission denied");
    const asUser = await user.from(table).select("*");
    expect(asUser.error?.code).toBe("42501");
    const asAnon = await anon().from(table).select("*");
    expect(asAnon.error?.code).toBe("42501");
  });

  it("runs migrations as an owner that is not a superuser but bypasses row-level security", async () => {
    const [role] = await sql("select rolsuper, rolbypassrls from pg_roles where rolname = 'migration_owner'");
    expect(role).toEqual({ rolsuper: false, rolbypassrls: true });
    const owners = await sql(
      `select distinct pg_get_userbyid(c.relowner) as owner from pg_class c
       join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'`,
    );
    expect(owners).toEqual([{ owner: "migration_owner" }]);
    // What only a superuser may do (hosted projects keep it for supabase_admin).
    await expect(
      sql(`do $$ begin set local role migration_owner; create role probe_${table} superuser; end $$`),
    ).rejects.toThrow(/permission denied|must be superuser/i);
  });

  it("stops an anon request after 3 s and lets the secret key run up to the authenticator's 8 s", async () => {
    const asAnon = await anon().rpc(sleep, { seconds: 3.3 });
    expect(asAnon.error?.message).toMatch(/statement timeout/);
    const asService = await service().rpc(sleep, { seconds: 3.3 });
    expect(asService.error).toBeNull();
  });

  it("applies a function's own statement_timeout to an RPC, as PostgREST does", async () => {
    const slow = await service().rpc(quick, { seconds: 0.5 });
    expect(slow.error?.message).toMatch(/statement timeout/);
    const fast = await service().rpc(quick, { seconds: 0 });
    expect(fast.error).toBeNull();
  });

  it("refuses a request URL longer than the gateway's 8 KB with 414, before any query runs", async () => {
    const ids = Array.from({ length: 250 }, () => randomUUID());
    const { status, error } = await serviceClient().from("jobs").select("id").in("id", ids);
    expect(status).toBe(414);
    expect(error).not.toBeNull();
    const fits = await serviceClient().from("jobs").select("id").in("id", ids.slice(0, 100));
    expect(fits.status).toBe(200);
  });

  it("refuses an UPDATE or DELETE without a filter (safeupdate), and changes nothing", async () => {
    const deleted = await service().from(table).delete();
    expect(deleted.error).toMatchObject({ code: "21000", message: "DELETE requires a WHERE clause" });
    const updated = await serviceClient().from("jobs").update({ progress: 0 });
    expect(updated.error).toMatchObject({ code: "21000", message: "UPDATE requires a WHERE clause" });
    expect(await sql(`select count(*)::int as n from public.${table}`)).toEqual([{ n: 1 }]);
  });
});
