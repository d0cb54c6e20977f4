import { randomUUID } from "node:crypto";
import { createClient, type SupabaseClient, type User } from "@supabase/supabase-js";
import { describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY } from "@/devstack/supabase/keys";
import { authEmailsTo } from "../../support/auth-mail";
import { sql } from "../../support/sql";

/**
 * GoTrue's admin API, which supabase-js's `auth.admin.*` calls (auth-js GoTrueAdminApi.js),
 * as GoTrue answers it: internal/api/admin.go (users), mail.go (adminGenerateLink),
 * invite.go, auth.go requireAdmin (who may call it). Fixed in lite by
 * patches/supabase-lite-auth-admin.mjs.
 */

const noSession = { auth: { persistSession: false, autoRefreshToken: false } };
const client = (key: string): SupabaseClient => createClient(inject("supabaseUrl"), key, noSession);
const admin = () => client(LOCAL_SECRET_KEY).auth.admin;
const anon = () => client(LOCAL_PUBLISHABLE_KEY);
const newEmail = (tag: string) => `admin-${tag}-${randomUUID()}@example.com`;
const password = "correct horse battery";

/** A raw Auth API call with the given key (and bearer), for what supabase-js checks before sending. */
async function authFetch(path: string, init: { key?: string; bearer?: string; method?: string; body?: unknown } = {}) {
  const key = init.key ?? LOCAL_SECRET_KEY;
  const response = await fetch(`${inject("supabaseUrl")}/auth/v1${path}`, {
    method: init.method ?? "GET",
    headers: { apikey: key, Authorization: `Bearer ${init.bearer ?? key}`, "Content-Type": "application/json" },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  const body: unknown = await response.json();
  return { status: response.status, headers: response.headers, body };
}

const errorBody = z.object({ code: z.number(), error_code: z.string(), msg: z.string() });

async function createConfirmed(tag: string, extra: Record<string, unknown> = {}): Promise<User> {
  const { data, error } = await admin().createUser({ email: newEmail(tag), password, email_confirm: true, ...extra });
  if (error) throw error;
  return data.user;
}

async function signIn(email: string) {
  return anon().auth.signInWithPassword({ email, password });
}

describe("auth.admin (GoTrue's admin API)", () => {
  it("is refused without the secret key: 403 not_admin for the publishable key and for a user's session", async () => {
    // auth.go requireAdmin: the role must be one of GOTRUE_JWT_ADMIN_ROLES.
    const asAnon = await anon().auth.admin.listUsers();
    expect(asAnon.error).toMatchObject({ status: 403, code: "not_admin", message: "User not allowed" });

    const user = await createConfirmed("refused");
    const session = (await signIn(user.email ?? "")).data.session;
    if (!session) throw new Error("no session");
    const asUser = await authFetch("/admin/users", { key: LOCAL_PUBLISHABLE_KEY, bearer: session.access_token });
    expect(asUser.status).toBe(403);
    expect(errorBody.parse(asUser.body)).toEqual({ code: 403, error_code: "not_admin", msg: "User not allowed" });
    const invite = await authFetch("/invite", { key: LOCAL_PUBLISHABLE_KEY, method: "POST", body: { email: newEmail("x") } });
    expect(invite.status).toBe(403);
    expect(errorBody.parse(invite.body).error_code).toBe("not_admin");
    // A token that doesn't verify is a bad JWT, not a missing admin role.
    const forged = await authFetch("/admin/users", { key: LOCAL_PUBLISHABLE_KEY, bearer: "not.a.jwt" });
    expect(forged.status).toBe(403);
    expect(errorBody.parse(forged.body).error_code).toBe("bad_jwt");
  });

  it("createUser makes a user who signs in with the password and gets a profile and organisation", async () => {
    const email = newEmail("create");
    const { data, error } = await admin().createUser({
      email: email.toUpperCase(),
      password,
      email_confirm: true,
      user_metadata: { display_name: "Admin Made" },
      app_metadata: { plan: "pro" },
    });
    expect(error).toBeNull();
    const user = data.user;
    expect(user).toMatchObject({
      email,
      aud: "authenticated",
      role: "authenticated",
      phone: "",
      app_metadata: { provider: "email", providers: ["email"], plan: "pro" },
      user_metadata: { display_name: "Admin Made", email_verified: true },
      is_anonymous: false,
    });
    expect(user?.email_confirmed_at).toEqual(expect.any(String));
    expect(user?.identities).toEqual([expect.objectContaining({ provider: "email", id: user?.id, user_id: user?.id })]);

    const signedIn = await signIn(email);
    expect(signedIn.error).toBeNull();
    expect(signedIn.data.user?.id).toBe(user?.id);
    // The auth.users trigger of our migrations ran as for a sign-up.
    const profile = await sql(
      `select p.display_name, o.personal, m.role from public.profiles p
       join public.memberships m on m.user_id = p.id join public.organisations o on o.id = m.org_id where p.id = $1`,
      [user?.id],
    );
    expect(profile).toEqual([{ display_name: "Admin Made", personal: true, role: "owner" }]);
  });

  it("createUser without email_confirm leaves the address unconfirmed; with an existing address answers 422 email_exists", async () => {
    const email = newEmail("unconfirmed");
    const created = await admin().createUser({ email, password });
    expect(created.error).toBeNull();
    expect(created.data.user?.email_confirmed_at).toBeUndefined();
    expect((await signIn(email)).error).toMatchObject({ status: 400, code: "email_not_confirmed" });

    const again = await admin().createUser({ email, password });
    expect(again.error).toMatchObject({
      status: 422,
      code: "email_exists",
      message: "A user with this email address has already been registered",
    });
    const nothing = await authFetch("/admin/users", { method: "POST", body: { password } });
    expect(nothing.status).toBe(400);
    expect(errorBody.parse(nothing.body)).toEqual({
      code: 400,
      error_code: "validation_failed",
      msg: "Cannot create a user without either an email or phone",
    });
  });

  it("listUsers pages newest first with X-Total-Count and Link headers", async () => {
    const first = await createConfirmed("list-a");
    const second = await createConfirmed("list-b");
    const { data, error } = await admin().listUsers({ page: 1, perPage: 1 });
    expect(error).toBeNull();
    expect(data.users.map((u) => u.id)).toEqual([second.id]);
    const count = z
      .array(z.object({ count: z.coerce.number() }))
      .parse(await sql("select count(*) from auth.users where aud = 'authenticated'"))
      .map((row) => row.count)[0];
    expect(data).toMatchObject({ aud: "authenticated", nextPage: 2, total: count });

    const raw = await authFetch("/admin/users?page=2&per_page=1");
    expect(raw.status).toBe(200);
    expect(raw.headers.get("x-total-count")).toBe(String(count));
    expect(raw.headers.get("link")).toBe(
      `</admin/users?page=3&per_page=1>; rel="next", </admin/users?page=${count}&per_page=1>; rel="last"`,
    );
    expect(z.object({ users: z.array(z.object({ id: z.string() })) }).parse(raw.body).users.map((u) => u.id)).toEqual([
      first.id,
    ]);
    const bad = await authFetch("/admin/users?page=x");
    expect(bad.status).toBe(400);
    expect(errorBody.parse(bad.body).error_code).toBe("validation_failed");
  });

  it("getUserById answers the user, 404 user_not_found for an unknown id, 404 validation_failed for a non-UUID", async () => {
    const user = await createConfirmed("get");
    const { data, error } = await admin().getUserById(user.id);
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: user.id, email: user.email });

    const unknown = await admin().getUserById(randomUUID());
    expect(unknown.error).toMatchObject({ status: 404, code: "user_not_found", message: "User not found" });
    const notUuid = await authFetch("/admin/users/not-a-uuid");
    expect(notUuid.status).toBe(404);
    expect(errorBody.parse(notUuid.body)).toEqual({ code: 404, error_code: "validation_failed", msg: "user_id must be an UUID" });
  });

  it("updateUserById changes metadata, password (signing the user out) and confirms the email", async () => {
    const email = newEmail("update");
    const created = await admin().createUser({ email, password, user_metadata: { a: 1, b: 2 } });
    const id = created.data.user?.id ?? "";
    const updated = await admin().updateUserById(id, {
      email_confirm: true,
      user_metadata: { b: null, c: 3 },
      app_metadata: { role_hint: "staff" },
    });
    expect(updated.error).toBeNull();
    expect(updated.data.user?.user_metadata).toEqual({ a: 1, c: 3, email_verified: true });
    expect(updated.data.user?.app_metadata).toMatchObject({ provider: "email", role_hint: "staff" });
    const session = (await signIn(email)).data.session;
    expect(session).not.toBeNull();

    const changed = await admin().updateUserById(id, { password: "a new long password" });
    expect(changed.error).toBeNull();
    expect((await signIn(email)).error).toMatchObject({ code: "invalid_credentials" });
    expect((await anon().auth.signInWithPassword({ email, password: "a new long password" })).error).toBeNull();
    // UpdatePassword logs the user out of every session (models/user.go).
    const refreshed = await anon().auth.refreshSession({ refresh_token: session?.refresh_token ?? "" });
    expect(refreshed.error?.status).toBe(400);

    const weak = await admin().updateUserById(id, { password: "123" });
    expect(weak.error).toMatchObject({ status: 422, code: "weak_password" });
  });

  it("updateUserById sets a new email at once (no email sent), and an address in use fails as GoTrue's unique index does", async () => {
    const user = await createConfirmed("email-old");
    const changedTo = newEmail("email-new");
    const changed = await admin().updateUserById(user.id, { email: changedTo, email_confirm: true });
    expect(changed.error).toBeNull();
    expect(changed.data.user?.email).toBe(changedTo);
    expect(changed.data.user?.identities?.[0]?.identity_data).toMatchObject({ email: changedTo, email_verified: true });
    expect(await authEmailsTo(changedTo)).toEqual([]);
    expect((await signIn(changedTo)).error).toBeNull();
    // Our migrations' trigger on auth.users keeps the profile's copy in step.
    expect(await sql("select email from public.profiles where id = $1", [user.id])).toEqual([{ email: changedTo }]);

    // adminUserUpdate checks no duplicate: the users_email_partial_key index refuses it (500).
    const other = await createConfirmed("email-taken");
    const taken = await authFetch(`/admin/users/${user.id}`, { method: "PUT", body: { email: other.email } });
    expect(taken.status).toBe(500);
    expect(errorBody.parse(taken.body)).toEqual({ code: 500, error_code: "unexpected_failure", msg: "Error updating user" });
  });

  it("updateUserById bans with ban_duration and lifts the ban with none", async () => {
    const user = await createConfirmed("ban");
    const email = user.email ?? "";
    const session = (await signIn(email)).data.session;
    const banned = await admin().updateUserById(user.id, { ban_duration: "24h" });
    expect(banned.error).toBeNull();
    const until = Date.parse(banned.data.user?.banned_until ?? "");
    expect(until).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect((await signIn(email)).error).toMatchObject({ status: 400, code: "user_banned", message: "User is banned" });
    const withToken = await anon().auth.getUser(session?.access_token);
    expect(withToken.error).toMatchObject({ status: 403, code: "user_banned" });
    // PostgREST checks the token's signature and expiry only: it still serves the user.
    const rest = createClient(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, {
      ...noSession,
      global: { headers: { Authorization: `Bearer ${session?.access_token ?? ""}` } },
    });
    expect((await rest.from("profiles").select("id").eq("id", user.id)).data).toEqual([{ id: user.id }]);
    const refreshed = await anon().auth.refreshSession({ refresh_token: session?.refresh_token ?? "" });
    expect(refreshed.error).toMatchObject({ status: 400, code: "user_banned" });

    const badDuration = await admin().updateUserById(user.id, { ban_duration: "forever" });
    expect(badDuration.error).toMatchObject({
      status: 400,
      code: "validation_failed",
      message: 'invalid format for ban duration: time: invalid duration "forever"',
    });
    const lifted = await admin().updateUserById(user.id, { ban_duration: "none" });
    expect(lifted.data.user?.banned_until).toBeUndefined();
    expect((await signIn(email)).error).toBeNull();
  });

  it("deleteUser removes the user with identities, sessions and profile; should_soft_delete keeps an obfuscated row", async () => {
    const user = await createConfirmed("delete");
    const session = (await signIn(user.email ?? "")).data.session;
    const deleted = await admin().deleteUser(user.id);
    expect(deleted.error).toBeNull();
    expect(deleted.data.user?.id).toBe(user.id);
    const left = await sql(
      `select (select count(*) from auth.users where id = $1)::int as users,
              (select count(*) from auth.identities where user_id = $1)::int as identities,
              (select count(*) from auth.sessions where user_id = $1)::int as sessions,
              (select count(*) from public.profiles where id = $1)::int as profiles`,
      [user.id],
    );
    expect(left).toEqual([{ users: 0, identities: 0, sessions: 0, profiles: 0 }]);
    expect((await anon().auth.getUser(session?.access_token)).error).toMatchObject({ status: 403, code: "user_not_found" });
    expect((await admin().deleteUser(user.id)).error).toMatchObject({ status: 404, code: "user_not_found" });

    const soft = await createConfirmed("soft");
    const raw = await authFetch(`/admin/users/${soft.id}`, { method: "DELETE", body: { should_soft_delete: true } });
    expect(raw).toMatchObject({ status: 200, body: {} });
    const kept = await admin().getUserById(soft.id);
    expect(kept.data.user).toMatchObject({ id: soft.id, user_metadata: {}, app_metadata: {} });
    expect(kept.data.user?.email).not.toBe(soft.email);
    expect(kept.data.user?.deleted_at).toEqual(expect.any(String));
    expect((await signIn(soft.email ?? "")).error).toMatchObject({ code: "invalid_credentials" });
  });

  it("generateLink gives a link and OTP that verify, for signup, magiclink and recovery", async () => {
    const email = newEmail("link");
    const signup = await admin().generateLink({ type: "signup", email, password, options: { redirectTo: "http://localhost:3000/welcome" } });
    expect(signup.error).toBeNull();
    const props = signup.data.properties;
    expect(props).toMatchObject({ verification_type: "signup", redirect_to: "http://localhost:3000/welcome" });
    expect(props?.email_otp).toMatch(/^\d{6}$/);
    const link = new URL(props?.action_link ?? "");
    // On the API's external URL (GoTrue's API_EXTERNAL_URL; lite's api.external_url).
    expect(link.pathname).toBe("/auth/v1/verify");
    expect(Object.fromEntries(link.searchParams)).toEqual({
      token: props?.hashed_token,
      type: "signup",
      redirect_to: "http://localhost:3000/welcome",
    });
    expect(signup.data.user?.email).toBe(email);
    expect(signup.data.user?.confirmation_sent_at).toEqual(expect.any(String));
    // No email is sent: the caller sends the link itself.
    expect(await authEmailsTo(email)).toEqual([]);
    const confirmed = await anon().auth.verifyOtp({ type: "signup", token_hash: props?.hashed_token ?? "" });
    expect(confirmed.error).toBeNull();
    expect(confirmed.data.user?.email_confirmed_at).toEqual(expect.any(String));

    const magic = await admin().generateLink({ type: "magiclink", email });
    expect(magic.data.properties?.verification_type).toBe("magiclink");
    const signedIn = await anon().auth.verifyOtp({ type: "magiclink", email, token: magic.data.properties?.email_otp ?? "" });
    expect(signedIn.error).toBeNull();
    expect(signedIn.data.session?.user.id).toBe(signup.data.user?.id);

    const recovery = await admin().generateLink({ type: "recovery", email });
    expect(recovery.error).toBeNull();
    const recovered = await anon().auth.verifyOtp({ type: "recovery", token_hash: recovery.data.properties?.hashed_token ?? "" });
    expect(recovered.error).toBeNull();
  });

  it("generateLink: magiclink for an unknown address signs up, recovery for one is 404, a confirmed signup is 422", async () => {
    const unknown = newEmail("unknown");
    const magic = await admin().generateLink({ type: "magiclink", email: unknown });
    expect(magic.error).toBeNull();
    expect(magic.data.properties?.verification_type).toBe("signup");
    expect(magic.data.user?.email).toBe(unknown);

    const recovery = await admin().generateLink({ type: "recovery", email: newEmail("nobody") });
    expect(recovery.error).toMatchObject({ status: 404, code: "user_not_found", message: "User with this email not found" });
    const user = await createConfirmed("confirmed-signup");
    const signup = await admin().generateLink({ type: "signup", email: user.email ?? "", password });
    expect(signup.error).toMatchObject({ status: 422, code: "email_exists" });
    const change = await admin().generateLink({ type: "email_change_new", email: user.email ?? "", newEmail: newEmail("new") });
    expect(change.error).toBeNull();
    expect(change.data.properties?.verification_type).toBe("email_change_new");
    expect(new URL(change.data.properties?.action_link ?? "").searchParams.get("type")).toBe("email_change");
    expect(change.data.user?.new_email).toMatch(/^admin-new-/);
  });

  it("generateLink invite creates an invited user whose link verifies as type invite, without sending an email", async () => {
    const email = newEmail("invite-link");
    const invite = await admin().generateLink({ type: "invite", email, options: { data: { display_name: "Linked" } } });
    expect(invite.error).toBeNull();
    expect(invite.data.properties?.verification_type).toBe("invite");
    expect(invite.data.user).toMatchObject({ email, user_metadata: { display_name: "Linked" } });
    expect(invite.data.user?.invited_at).toEqual(expect.any(String));
    expect(await authEmailsTo(email)).toEqual([]);
    const verified = await anon().auth.verifyOtp({ type: "invite", token_hash: invite.data.properties?.hashed_token ?? "" });
    expect(verified.error).toBeNull();
    expect(verified.data.session?.user.id).toBe(invite.data.user?.id);
  });

  it("inviteUserByEmail creates the user, emails the invite, and its link signs the user in", async () => {
    const email = newEmail("invite");
    const { data, error } = await admin().inviteUserByEmail(email, {
      data: { display_name: "Invited" },
      redirectTo: "http://localhost:3000/welcome",
    });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email, user_metadata: { display_name: "Invited" } });
    expect(data.user?.invited_at).toEqual(expect.any(String));
    expect(data.user?.email_confirmed_at).toBeUndefined();

    const [mail] = await authEmailsTo(email);
    expect(mail?.subject).toBe("You have been invited");
    const href = /href="([^"]*type=invite[^"]*)"/.exec(mail?.html ?? "")?.[1]?.replaceAll("&amp;", "&") ?? "";
    const token = new URL(href).searchParams.get("token") ?? "";
    const verified = await anon().auth.verifyOtp({ type: "invite", token_hash: token });
    expect(verified.error).toBeNull();
    expect(verified.data.session?.user).toMatchObject({ id: data.user?.id, email });
    expect(verified.data.user?.email_confirmed_at).toEqual(expect.any(String));
    const profile = await sql("select display_name from public.profiles where id = $1", [data.user?.id]);
    expect(profile).toEqual([{ display_name: "Invited" }]);

    const again = await admin().inviteUserByEmail(email);
    expect(again.error).toMatchObject({ status: 422, code: "email_exists" });
  });

  it("signOut(jwt) ends that user's session", async () => {
    const user = await createConfirmed("signout");
    const session = (await signIn(user.email ?? "")).data.session;
    const { error } = await admin().signOut(session?.access_token ?? "", "global");
    expect(error).toBeNull();
    const refreshed = await anon().auth.refreshSession({ refresh_token: session?.refresh_token ?? "" });
    expect(refreshed.error?.status).toBe(400);
  });
});
