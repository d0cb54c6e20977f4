import { beforeAll, describe, expect, it } from "vitest";
import { anonClient, serviceClient, signUpUser, type TestUser } from "../support/supabase";

/**
 * The access matrix of the foundation migration, through supabase-js with real sessions:
 * members read their organisation's rows and no one else's, anon reads nothing, and only
 * the service role writes jobs.
 */
describe("row-level security", () => {
  let alice: TestUser;
  let bob: TestUser;
  let aliceJobId: string;
  let bobJobId: string;

  beforeAll(async () => {
    [alice, bob] = await Promise.all([signUpUser("Alice"), signUpUser("Bob")]);
    const service = serviceClient();
    const inserted = await service
      .from("jobs")
      .insert([
        { org_id: alice.orgId, user_id: alice.id, type: "report", payload: { kind: "activity" } },
        { org_id: bob.orgId, user_id: bob.id, type: "report", payload: { kind: "activity" } },
      ])
      .select("id, org_id");
    expect(inserted.error).toBeNull();
    aliceJobId = inserted.data!.find((j) => j.org_id === alice.orgId)!.id;
    bobJobId = inserted.data!.find((j) => j.org_id === bob.orgId)!.id;
  });

  it("gives every new user a profile and a personal organisation they own", async () => {
    const profile = await alice.client.from("profiles").select("id, email, display_name").eq("id", alice.id).single();
    expect(profile.data).toEqual({ id: alice.id, email: alice.email, display_name: "Alice" });

    const org = await alice.client.from("organisations").select("id, name, personal").single();
    expect(org.data).toEqual({ id: alice.orgId, name: "Alice's workspace", personal: true });

    const membership = await alice.client.from("memberships").select("user_id, role").eq("org_id", alice.orgId).single();
    expect(membership.data).toEqual({ user_id: alice.id, role: "owner" });
  });

  it("lets a member read their organisation's jobs", async () => {
    const { data, error } = await alice.client.from("jobs").select("id");
    expect(error).toBeNull();
    expect(data).toEqual([{ id: aliceJobId }]);
  });

  it("hides another organisation's jobs, profiles, memberships and organisation", async () => {
    const job = await alice.client.from("jobs").select("id").eq("id", bobJobId);
    expect(job.data).toEqual([]);

    const jobsOfBobsOrg = await alice.client.from("jobs").select("id").eq("org_id", bob.orgId);
    expect(jobsOfBobsOrg.data).toEqual([]);

    const profile = await alice.client.from("profiles").select("id").eq("id", bob.id);
    expect(profile.data).toEqual([]);

    const memberships = await alice.client.from("memberships").select("user_id").eq("org_id", bob.orgId);
    expect(memberships.data).toEqual([]);

    const org = await alice.client.from("organisations").select("id").eq("id", bob.orgId);
    expect(org.data).toEqual([]);
  });

  it.each(["jobs", "profiles", "memberships", "organisations"] as const)("lets anon read no %s", async (table) => {
    const { data, error } = await anonClient().from(table).select("*");
    // Privileges are revoked from anon outright: PostgREST answers 401 permission denied.
    expect(data ?? []).toEqual([]);
    expect(error?.code).toBe("42501");
  });

  it("lets the service role write jobs", async () => {
    const service = serviceClient();
    const created = await service
      .from("jobs")
      .insert({ org_id: alice.orgId, type: "welcome-email" })
      .select("id, status")
      .single();
    expect(created.error).toBeNull();
    expect(created.data?.status).toBe("pending");

    const updated = await service
      .from("jobs")
      .update({ status: "processing", progress: 10 })
      .eq("id", created.data!.id)
      .select("status, progress")
      .single();
    expect(updated.data).toEqual({ status: "processing", progress: 10 });

    const deleted = await service.from("jobs").delete().eq("id", created.data!.id).select("id");
    expect(deleted.data).toHaveLength(1);
  });

  it("refuses job writes from a signed-in user, even in their own organisation", async () => {
    const insert = await alice.client.from("jobs").insert({ org_id: alice.orgId, type: "report" }).select();
    expect(insert.error?.code).toBe("42501");

    const update = await alice.client.from("jobs").update({ status: "completed" }).eq("id", aliceJobId).select();
    expect(update.error?.code).toBe("42501");

    const remove = await alice.client.from("jobs").delete().eq("id", aliceJobId).select();
    expect(remove.error?.code).toBe("42501");

    const job = await serviceClient().from("jobs").select("status").eq("id", aliceJobId).single();
    expect(job.data?.status).toBe("pending");
  });

  it("lets a user change their own settings but not bookkeeping columns or other profiles", async () => {
    const settings = await alice.client
      .from("profiles")
      .update({ display_name: "Alice A.", digest_opt_in: true, time_zone: "Europe/Paris" })
      .eq("id", alice.id)
      .select("display_name, digest_opt_in, time_zone")
      .single();
    expect(settings.data).toEqual({ display_name: "Alice A.", digest_opt_in: true, time_zone: "Europe/Paris" });

    const bookkeeping = await alice.client
      .from("profiles")
      .update({ welcome_sent_at: new Date().toISOString() })
      .eq("id", alice.id)
      .select();
    expect(bookkeeping.error?.code).toBe("42501");

    const others = await alice.client.from("profiles").update({ display_name: "pwned" }).eq("id", bob.id).select();
    expect(others.data ?? []).toEqual([]);
    const bobProfile = await serviceClient().from("profiles").select("display_name").eq("id", bob.id).single();
    expect(bobProfile.data?.display_name).toBe("Bob");
  });
});
