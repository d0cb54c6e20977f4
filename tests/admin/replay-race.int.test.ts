import { randomUUID } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import { beforeAll, describe, expect, inject, it, vi } from "vitest";
import { LOCAL_SECRET_KEY } from "@/devstack/supabase/keys";
import type { AdminScope } from "@/lib/admin/access";
import { replayIdFor, replayJob } from "@/lib/admin/replay";
import type { Job } from "@/lib/jobs/state";
import type { Database } from "@/lib/supabase/database.types";
import { signUpUser, type TestUser } from "../support/supabase";
import { db, readJob, seedFailedWelcome } from "./support";

/**
 * A replay that loses to another one between reading the job and creating its replay:
 * the database refuses the second (by the replay trigger's code, or the replay id's unique
 * key), and the loser answers 409 already_replayed without sending anything.
 */
describe(`a replay that another got to first (${inject("database")})`, () => {
  let admin: TestUser;
  let scope: AdminScope;

  beforeAll(async () => {
    admin = await signUpUser("Rita Racer");
    scope = { userId: admin.id, email: admin.email, platformAdmin: true, orgIds: [admin.orgId] };
  });

  /** The service client, doing `competitor()` just before the request that creates the replay. */
  function racedClient(competitor: () => Promise<void>) {
    let raced = false;
    const racing: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (!raced && request.method === "POST" && new URL(request.url).pathname === "/rest/v1/jobs") {
        raced = true;
        await competitor();
      }
      return fetch(request);
    };
    return createClient<Database>(inject("supabaseUrl"), LOCAL_SECRET_KEY, {
      auth: { persistSession: false, autoRefreshToken: false },
      global: { fetch: racing },
    });
  }

  async function insertJob(row: Database["public"]["Tables"]["jobs"]["Insert"]) {
    const { error } = await db.from("jobs").insert(row);
    if (error) throw new Error(`could not insert the competing job: ${error.message}`);
  }

  const replayOf = (original: Job) => ({ org_id: original.org_id, type: original.type, event_name: original.event_name });

  it("by the replay trigger (check_violation): the original was replayed in the meantime", async () => {
    const original = await seedFailedWelcome(admin, { orgId: admin.orgId });
    const emit = vi.fn(async () => {});
    const client = racedClient(() =>
      insertJob({ ...replayOf(original), replay_of: original.id, idempotency_key: `other-${randomUUID()}` }),
    );
    await expect(replayJob(client, scope, original.id, emit)).rejects.toMatchObject({ status: 409, code: "already_replayed" });
    expect(emit).not.toHaveBeenCalled();
    expect((await readJob(original.id)).replayed_at).not.toBeNull();
  });

  it("by the replay's id (unique_violation): a replay with that id exists already", async () => {
    const original = await seedFailedWelcome(admin, { orgId: admin.orgId });
    const emit = vi.fn(async () => {});
    const client = racedClient(() =>
      insertJob({ ...replayOf(original), id: replayIdFor(original.id), idempotency_key: `other-${randomUUID()}` }),
    );
    await expect(replayJob(client, scope, original.id, emit)).rejects.toMatchObject({ status: 409, code: "already_replayed" });
    expect(emit).not.toHaveBeenCalled();
  });

  it("takes any other refusal for what it is, not a lost race", async () => {
    const original = await seedFailedWelcome(admin, { orgId: admin.orgId });
    const emit = vi.fn(async () => {});
    // The original is deleted in the meantime: its replay's `replay_of` names no job (23503).
    const client = racedClient(async () => {
      const { error } = await db.from("jobs").delete().eq("id", original.id);
      if (error) throw new Error(`could not delete the original: ${error.message}`);
    });
    await expect(replayJob(client, scope, original.id, emit)).rejects.toMatchObject({
      name: "JobStoreError",
      code: "23503",
    });
    expect(emit).not.toHaveBeenCalled();
  });
});
