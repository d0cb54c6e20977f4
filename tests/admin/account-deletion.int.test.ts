import { beforeAll, describe, expect, it } from "vitest";
import { listAudit, recordAudit } from "@/lib/admin/audit";
import { createTeamOrg, makePlatformAdmin, serviceClient, signUpUser, type TestUser } from "../support/supabase";
import { sql } from "../support/sql";

const db = serviceClient();

/**
 * Deleting a user the way a hosted project does it (the dashboard's "Delete user" and the
 * Auth admin API both delete the auth.users row) and deleting an organisation: both must
 * succeed, and the audit log must still say who did what.
 */
describe("deleting users and organisations", () => {
  let admin: TestUser;
  let colleague: TestUser;
  let teamId: string;
  const scopeOf = (user: TestUser) => ({ userId: user.id, email: user.email, platformAdmin: true, orgIds: [] });

  beforeAll(async () => {
    [admin, colleague] = await Promise.all([signUpUser("Leaving Admin"), signUpUser("Colleague")]);
    await makePlatformAdmin(admin.id);
    teamId = await createTeamOrg(
      [
        { userId: colleague.id, role: "owner" },
        { userId: admin.id, role: "admin" },
      ],
      { name: "Team that stays" },
    );
    const jobs = await db
      .from("jobs")
      .insert([
        { org_id: admin.orgId, user_id: admin.id, type: "report", status: "completed", completed_at: new Date().toISOString() },
        { org_id: teamId, user_id: admin.id, type: "report", status: "completed", completed_at: new Date().toISOString() },
      ])
      .select("id, org_id");
    if (jobs.error) throw jobs.error;
    const personalJob = jobs.data.find((job) => job.org_id === admin.orgId)!;
    const report = await db.from("reports").insert({
      job_id: personalJob.id,
      org_id: admin.orgId,
      kind: "activity",
      range_from: "2026-11-01",
      range_to: "2026-11-02",
    });
    if (report.error) throw report.error;
    await recordAudit(db, scopeOf(admin), { action: "cron.run", orgId: teamId, details: { cron: "cleanup-jobs" } });
    await recordAudit(db, scopeOf(admin), { action: "job.replay", orgId: admin.orgId, jobIds: [personalJob.id] });
  });

  it("deletes a user with audit entries, jobs and reports, and their personal organisation with them", async () => {
    await sql("delete from auth.users where id = $1", [admin.id]);

    expect(await sql("select id from public.organisations where id = $1", [admin.orgId])).toEqual([]);
    expect(await sql("select job_id from public.reports where org_id = $1", [admin.orgId])).toEqual([]);
    expect(await sql("select id from public.profiles where id = $1", [admin.id])).toEqual([]);
    expect(await sql("select user_id from public.platform_admins where user_id = $1", [admin.id])).toEqual([]);
    // The team and its work stay; the job no longer points at a user who is gone.
    expect(await sql("select user_id from public.jobs where org_id = $1", [teamId])).toEqual([{ user_id: null }]);
    expect(await sql("select user_id from public.memberships where org_id = $1", [teamId])).toEqual([
      { user_id: colleague.id },
    ]);
  });

  it("keeps the audit entries, saying who it was and which organisation", async () => {
    const { entries } = await listAudit(db, scopeOf(colleague), { limit: 50 });
    const theirs = entries.filter((entry) => entry.actorEmail === admin.email);
    expect(theirs.map(({ action, orgId, orgName }) => ({ action, orgId, orgName }))).toEqual([
      { action: "job.replay", orgId: admin.orgId, orgName: "Leaving Admin's workspace" },
      { action: "cron.run", orgId: teamId, orgName: "Team that stays" },
    ]);
  });

  it("deletes an organisation that has audit entries", async () => {
    const deleted = await db.from("organisations").delete().eq("id", teamId).select("id");
    expect(deleted.error).toBeNull();
    expect(deleted.data).toEqual([{ id: teamId }]);
    const [entry] = await sql("select org_id, org_name from public.audit_log where org_id = $1", [teamId]);
    expect(entry).toEqual({ org_id: teamId, org_name: "Team that stays" });
  });

  it("refuses to change or delete audit entries, even as the database owner", async () => {
    await expect(sql("update public.audit_log set actor_email = 'someone@else.example'")).rejects.toThrow(/append-only/);
    await expect(sql("delete from public.audit_log")).rejects.toThrow(/append-only/);
    await expect(sql("truncate public.audit_log")).rejects.toThrow(/append-only/);
    const removed = await db.from("audit_log").delete().eq("actor_email", admin.email);
    expect(removed.error?.code).toBe("42501");
  });

  it("removes old entries only through purge_audit_log, by age", async () => {
    const [before] = await sql("select count(*)::int as n from public.audit_log");
    expect(await sql("select public.purge_audit_log(now() - interval '1 day') as purged")).toEqual([{ purged: 0 }]);
    const [{ purged }] = (await sql("select public.purge_audit_log(now() + interval '1 minute') as purged")) as [
      { purged: number },
    ];
    expect(purged).toBe((before as { n: number }).n);
    expect(await sql("select count(*)::int as n from public.audit_log")).toEqual([{ n: 0 }]);
  });
});
