import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { prepareDatabase, type PreparedDatabase } from "@/devstack/supabase/server";
import { createTestDatabase, type TestDatabase } from "../support/databases";

const supabaseDir = path.resolve(import.meta.dirname, "../../supabase");

/** Every privilege the API roles hold on public tables, columns and functions, sorted. */
async function apiPrivileges(db: PreparedDatabase) {
  const rows = await db.query<{ privilege: string }>(
    `select grantee || ' ' || privilege_type || ' on ' || table_name as privilege
       from information_schema.role_table_grants
      where table_schema = 'public' and grantee in ('anon', 'authenticated', 'service_role')
     union
     select grantee || ' ' || privilege_type || ' (' || column_name || ') on ' || table_name
       from information_schema.column_privileges
      where table_schema = 'public' and grantee in ('anon', 'authenticated', 'service_role')
        and (grantee, privilege_type, table_name) not in (
          select grantee, privilege_type, table_name from information_schema.role_table_grants
          where table_schema = 'public')
     union
     select r.rolname || ' EXECUTE on ' || p.proname
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       cross join pg_roles r
      where n.nspname = 'public' and r.rolname in ('anon', 'authenticated', 'service_role')
        and has_function_privilege(r.rolname, p.oid, 'execute')
     order by 1`,
  );
  return rows.map((row) => row.privilege);
}

/**
 * Supabase projects created today give new `public` objects no Data API grants; older ones
 * gave every API role everything. The migrations grant each role what it needs
 * explicitly, so the privileges that result must be the same on both.
 */
describe(`migrations' grants on ${inject("database")}`, () => {
  const databases: TestDatabase[] = [];
  let hosted: PreparedDatabase;
  let legacy: PreparedDatabase;

  beforeAll(async () => {
    const prepare = async (legacyDefaultGrants: boolean) => {
      const database = await createTestDatabase(inject("database"));
      databases.push(database);
      return prepareDatabase({ projectDir: supabaseDir, databaseUrl: database.databaseUrl, legacyDefaultGrants });
    };
    hosted = await prepare(false);
    legacy = await prepare(true);
  });

  afterAll(async () => {
    await Promise.all([hosted?.close(), legacy?.close()]);
    await Promise.all(databases.map((database) => database.drop()));
  });

  it("are the same with and without Supabase's old default privileges", async () => {
    const [now, before] = await Promise.all([apiPrivileges(hosted), apiPrivileges(legacy)]);
    expect(now.length).toBeGreaterThan(0);
    expect(before).toEqual(now);
  });

  it("give anon nothing: no table, column or function", async () => {
    expect((await apiPrivileges(hosted)).filter((privilege) => privilege.startsWith("anon "))).toEqual([]);
  });

  it("let the server (secret key) read every public table, so none was forgotten", async () => {
    const unreadable = await hosted.query<{ table_name: string }>(
      `select table_name from information_schema.tables
        where table_schema = 'public' and not has_table_privilege('service_role', format('%I.%I', table_schema, table_name), 'select')`,
    );
    expect(unreadable).toEqual([]);
  });

  it("keep alert notifications and Inngest's contacts the server's alone", async () => {
    const names = ["alert_notifications", "inngest_contacts", "claim_alert_notification", "alert_incidents_with_news", "record_inngest_contact"];
    const granted = (await apiPrivileges(hosted)).filter((privilege) => names.some((name) => privilege.endsWith(` on ${name}`)));
    expect(granted.filter((privilege) => !privilege.startsWith("service_role "))).toEqual([]);
    expect(granted).toEqual(
      expect.arrayContaining([
        "service_role EXECUTE on alert_incidents_with_news",
        "service_role EXECUTE on claim_alert_notification",
        "service_role EXECUTE on record_inngest_contact",
        "service_role SELECT on alert_notifications",
        "service_role SELECT on inngest_contacts",
      ]),
    );
  });

  // Each write is a path RLS then narrows: settings on one's own profile; one's own current
  // organisation (an upsert sets both columns); a team's rename and deletion (owners,
  // admins); role changes, removal and leaving; invitations (the app chooses the id its
  // token derives from; expiry, inviter and acceptance are the database's). Never a plan, a
  // membership's team or user, or a join.
  it("let signed-in users read, write their own settings, and run the teams they manage", async () => {
    const granted = (await apiPrivileges(hosted)).filter((privilege) => privilege.startsWith("authenticated "));
    const writes = granted.filter((privilege) => !/ (SELECT|EXECUTE) /.test(privilege));
    expect(writes).toEqual([
      "authenticated DELETE on current_organisations",
      "authenticated DELETE on invitations",
      "authenticated DELETE on memberships",
      "authenticated DELETE on organisations",
      "authenticated DELETE on webhook_endpoints",
      "authenticated INSERT (email) on invitations",
      "authenticated INSERT (id) on invitations",
      "authenticated INSERT (org_id) on current_organisations",
      "authenticated INSERT (org_id) on invitations",
      "authenticated INSERT (role) on invitations",
      "authenticated INSERT (token_hash) on invitations",
      "authenticated INSERT (token_nonce) on invitations",
      "authenticated INSERT (user_id) on current_organisations",
      "authenticated UPDATE (description) on webhook_endpoints",
      "authenticated UPDATE (digest_opt_in) on profiles",
      "authenticated UPDATE (display_name) on profiles",
      "authenticated UPDATE (enabled) on webhook_endpoints",
      "authenticated UPDATE (event_types) on webhook_endpoints",
      "authenticated UPDATE (name) on organisations",
      "authenticated UPDATE (org_id) on current_organisations",
      "authenticated UPDATE (read_at) on notifications",
      "authenticated UPDATE (role) on invitations",
      "authenticated UPDATE (role) on memberships",
      "authenticated UPDATE (slug) on organisations",
      "authenticated UPDATE (time_zone) on profiles",
      "authenticated UPDATE (token_hash) on invitations",
      "authenticated UPDATE (token_nonce) on invitations",
      "authenticated UPDATE (url) on webhook_endpoints",
      "authenticated UPDATE (user_id) on current_organisations",
    ]);
  });

  it("let users call the teams functions made for them, the server the one for background work, and nobody the triggers'", async () => {
    const teamsFunctions = [
      "accept_invitation",
      "acting_org_id",
      "audit_team_deletion",
      "can_manage_role",
      "check_invitation_target",
      "create_team",
      "current_membership",
      "guard_invitation",
      "guard_personal_membership",
      "keep_an_owner",
      "org_role",
    ];
    const executable = (await apiPrivileges(hosted)).filter((privilege) =>
      teamsFunctions.some((name) => privilege.endsWith(` EXECUTE on ${name}`)),
    );
    // org_role and can_manage_role: the policies call them as the signed-in user.
    expect(executable.sort()).toEqual([
      "authenticated EXECUTE on accept_invitation",
      "authenticated EXECUTE on can_manage_role",
      "authenticated EXECUTE on create_team",
      "authenticated EXECUTE on org_role",
      "service_role EXECUTE on acting_org_id",
      "service_role EXECUTE on current_membership",
    ]);
  });

  it("let the server do everything with invitations, and users read them under RLS, all but the token's nonce and hash", async () => {
    const privileges = await apiPrivileges(hosted);
    const onInvitations = privileges.filter((privilege) => privilege.endsWith(" on invitations") && !privilege.includes("("));
    const readable = privileges.filter((privilege) => privilege.startsWith("authenticated SELECT (") && privilege.endsWith(") on invitations"));
    expect(readable.map((privilege) => privilege.replace(/^.*\((\w+)\).*$/, "$1")).sort()).toEqual(
      ["accepted_at", "accepted_by", "created_at", "email", "expires_at", "id", "invited_by", "org_id", "role", "updated_at"],
    );
    expect(onInvitations.sort()).toEqual([
      "authenticated DELETE on invitations",
      "service_role DELETE on invitations",
      "service_role INSERT on invitations",
      "service_role SELECT on invitations",
      "service_role UPDATE on invitations",
    ]);
  });

  it("let only the server read the job counters, which only their trigger writes", async () => {
    const names = /^(\w+) (\w+) on (job_counters|job_duration_buckets|job_duration_bounds|job_duration_bucket|job_duration_histogram|count_finished_job)$/;
    const privileges = (await apiPrivileges(hosted)).filter((privilege) => names.test(privilege));
    expect(privileges.sort()).toEqual([
      "service_role EXECUTE on job_duration_bounds",
      "service_role EXECUTE on job_duration_histogram",
      "service_role SELECT on job_counters",
      "service_role SELECT on job_duration_buckets",
    ]);
  });

  it("keep the audit log append-only for the server too", async () => {
    const onAuditLog = (await apiPrivileges(hosted)).filter((privilege) => privilege.endsWith(" on audit_log"));
    expect(onAuditLog).toEqual(["service_role INSERT on audit_log", "service_role SELECT on audit_log"]);
  });
});
