import { createServerClient } from "@supabase/ssr";
import { createClient } from "@supabase/supabase-js";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { LOCAL_PUBLISHABLE_KEY } from "@/devstack/supabase/keys";
import { getCurrentMembership, getViewerContext } from "@/lib/auth/context";
import { getSessionUser } from "@/lib/auth/session";
import { loadViewer } from "@/lib/auth/viewer";
import type { Database } from "@/lib/supabase/database.types";
import { countingFetch } from "../support/counting-fetch";
import { sql } from "../support/sql";
import { anonClient, createTeamOrg, makePlatformAdmin, serviceClient, signUpUser, type TestUser } from "../support/supabase";

type Cookie = { name: string; value: string };

/** Signs in through @supabase/ssr, which writes the session cookies a browser would keep. */
async function signInCookies(user: TestUser): Promise<Cookie[]> {
  const jar = new Map<string, string>();
  const client = createServerClient<Database>(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, {
    cookies: {
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      setAll: (cookies) => cookies.forEach(({ name, value }) => (value ? jar.set(name, value) : jar.delete(name))),
    },
  });
  const { error } = await client.auth.signInWithPassword({ email: user.email, password: user.password });
  if (error) throw new Error(`sign-in failed: ${error.message}`);
  return [...jar].map(([name, value]) => ({ name, value }));
}

/** A request's client: the session from its cookies, every backend call recorded. */
function requestClient(cookies: Cookie[]) {
  const counted = countingFetch();
  const client = createServerClient<Database>(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, {
    cookies: { getAll: () => cookies, setAll: () => {} },
    global: { fetch: counted.fetch },
  });
  return { client, calls: counted.calls };
}

async function accessToken(user: TestUser): Promise<string> {
  const { data, error } = await anonClient().auth.signInWithPassword({ email: user.email, password: user.password });
  if (error || !data.session) throw new Error(`sign-in failed: ${error?.message}`);
  return data.session.access_token;
}

/** A client acting with the user's token (as a route handler's does), its calls recorded. */
async function tokenClient(user: TestUser) {
  const counted = countingFetch();
  const client = createClient<Database>(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { headers: { Authorization: `Bearer ${await accessToken(user)}` }, fetch: counted.fetch },
  });
  return { client, calls: counted.calls };
}

/**
 * The viewer's membership, plan and admin scope come from one backend call, whoever the
 * viewer is: the Data API's RPC endpoint, once, and nothing else (the session itself is
 * verified against the JWKS, fetched once per process).
 */
describe(`the viewer's context (${inject("database")})`, () => {
  let plain: TestUser;
  let teamAdmin: TestUser;
  let operator: TestUser;
  let teamOrg: string;
  let proTeam: string;

  beforeAll(async () => {
    [plain, teamAdmin, operator] = await Promise.all([signUpUser("Plain"), signUpUser("Team admin"), signUpUser("Operator")]);
    teamOrg = await createTeamOrg([
      { userId: teamAdmin.id, role: "admin" },
      { userId: plain.id, role: "member" },
    ]);
    proTeam = await createTeamOrg([{ userId: teamAdmin.id, role: "owner" }], { plan: "pro" });
    await makePlatformAdmin(operator.id);
    const upgraded = await serviceClient().from("organisations").update({ plan: "pro" }).eq("id", operator.orgId);
    if (upgraded.error) throw new Error(upgraded.error.message);
    // The JWKS is fetched once per process; fetch it here so each count below is one request's.
    await loadViewer(requestClient(await signInCookies(plain)).client);
  });

  const expected = () => ({
    plain: {
      user: plain,
      membership: { role: "owner", organisation: { id: plain.orgId, personal: true, plan: "free" } },
      admin: null,
    },
    "team admin": {
      user: teamAdmin,
      membership: { role: "owner", organisation: { id: teamAdmin.orgId, personal: true, plan: "free" } },
      admin: { userId: teamAdmin.id, email: teamAdmin.email, platformAdmin: false, orgIds: [teamOrg, proTeam] },
    },
    "platform admin": {
      user: operator,
      membership: { role: "owner", organisation: { id: operator.orgId, personal: true, plan: "pro" } },
      admin: { userId: operator.id, email: operator.email, platformAdmin: true, orgIds: [] },
    },
  });

  it.each(["plain", "team admin", "platform admin"] as const)(
    "getViewerContext answers for a %s with one call",
    async (who) => {
      const { user, membership, admin } = expected()[who];
      const { client, calls } = await tokenClient(user);
      const context = await getViewerContext(client, { id: user.id, email: user.email });
      expect(calls).toEqual(["POST /rest/v1/rpc/viewer_context"]);
      expect(context.membership).toMatchObject(membership);
      expect(context.admin).toEqual(admin);
    },
  );

  it.each(["plain", "team admin", "platform admin"] as const)(
    "loadViewer (getViewer's request) verifies the session and answers for a %s with one call",
    async (who) => {
      const { user, membership, admin } = expected()[who];
      const { client, calls } = requestClient(await signInCookies(user));
      const viewer = await loadViewer(client);
      expect(calls).toEqual(["POST /rest/v1/rpc/viewer_context"]);
      expect(viewer).toMatchObject({ user: { id: user.id, email: user.email, new_email: null }, email: user.email, membership });
      expect(viewer?.admin).toEqual(admin);
    },
  );

  it("is the organisation a team member acts in, not the team", async () => {
    const { client } = await tokenClient(plain);
    const context = await getViewerContext(client, { id: plain.id, email: plain.email });
    expect(context.membership.organisation.id).toBe(plain.orgId);
    expect(context.admin).toBeNull();
  });

  it("lists every organisation the viewer belongs to: the personal workspace first, then teams by name", async () => {
    const user = await signUpUser("Many teams");
    const beta = await createTeamOrg([{ userId: user.id, role: "member" }], { name: "beta team" });
    const alpha = await createTeamOrg([{ userId: user.id, role: "admin" }], { name: "Alpha team", plan: "pro" });
    const { client, calls } = await tokenClient(user);
    const context = await getViewerContext(client, { id: user.id, email: user.email });
    expect(calls).toEqual(["POST /rest/v1/rpc/viewer_context"]);
    expect(context.memberships).toEqual([
      { role: "owner", organisation: { id: user.orgId, name: "Many teams's workspace", slug: null, personal: true, plan: "free" } },
      { role: "admin", organisation: { id: alpha, name: "Alpha team", slug: expect.any(String), personal: false, plan: "pro" } },
      { role: "member", organisation: { id: beta, name: "beta team", slug: expect.any(String), personal: false, plan: "free" } },
    ]);
    const viewer = await loadViewer(requestClient(await signInCookies(user)).client);
    expect(viewer?.memberships).toEqual(context.memberships);
  });

  it("is the organisation the viewer switched to, in every reader, until they leave it", async () => {
    const user = await signUpUser("Switcher");
    const team = await createTeamOrg([{ userId: user.id, role: "admin" }], { name: "Switched to" });
    const { client } = await tokenClient(user);
    const current = async () => ({
      context: (await getViewerContext(client, { id: user.id, email: user.email })).membership,
      viewer: (await loadViewer(requestClient(await signInCookies(user)).client))?.membership,
      background: await getCurrentMembership(serviceClient(), user.id),
    });
    const personal = { role: "owner", organisation: { id: user.orgId, slug: null, personal: true } };
    expect(await current()).toMatchObject({ context: personal, viewer: personal, background: personal });

    const switched = await client.from("current_organisations").upsert({ user_id: user.id, org_id: team }, { onConflict: "user_id" });
    expect(switched.error).toBeNull();
    const inTeam = { role: "admin", organisation: { id: team, name: "Switched to", slug: expect.any(String), personal: false } };
    expect(await current()).toMatchObject({ context: inTeam, viewer: inTeam, background: inTeam });

    // Another organisation than one's own is refused, and the choice stays.
    const elsewhere = await client.from("current_organisations").upsert({ user_id: user.id, org_id: proTeam }, { onConflict: "user_id" });
    expect(elsewhere.error).toMatchObject({ code: "23503", message: expect.stringContaining("current_organisations_membership_fkey") });
    expect((await current()).context.organisation.id).toBe(team);

    const left = await client.from("memberships").delete().eq("org_id", team).eq("user_id", user.id);
    expect(left.error).toBeNull();
    expect(await current()).toMatchObject({ context: personal, viewer: personal, background: personal });
  });

  it("carries an email change waiting for its link, as Auth's new_email", async () => {
    const user = await signUpUser("Mover");
    const client = createClient<Database>(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, {
      auth: { persistSession: false, autoRefreshToken: false },
    });
    await client.auth.signInWithPassword({ email: user.email, password: user.password });
    const newEmail = `moved-${user.id}@example.com`;
    const { data, error } = await client.auth.updateUser({ email: newEmail });
    expect(error).toBeNull();
    expect(data.user?.new_email).toBe(newEmail);
    const viewer = await loadViewer(requestClient(await signInCookies(user)).client);
    expect(viewer?.user.new_email).toBe(newEmail);
    expect(viewer?.email).toBe(user.email);
  });

  it("is nobody for a user deleted while their access token is still unexpired", async () => {
    const user = await signUpUser("Leaving");
    const cookies = await signInCookies(user);
    const { client } = await tokenClient(user);
    await sql("delete from auth.users where id = $1", [user.id]);
    // The token still verifies (nothing asks Auth), but the database knows better.
    expect(await getSessionUser(requestClient(cookies).client)).toEqual({ id: user.id, email: user.email });
    expect(await loadViewer(requestClient(cookies).client)).toBeNull();
    await expect(getViewerContext(client, { id: user.id, email: user.email })).rejects.toMatchObject({ status: 401 });
  });

  it("is nothing for a signed-out caller: no call, and the function is closed to anon", async () => {
    const { client, calls } = requestClient([]);
    expect(await loadViewer(client)).toBeNull();
    expect(calls).toEqual([]);
    const { error } = await anonClient().rpc("viewer_context");
    expect(error?.code).toBe("42501");
  });
});
