import { createClient, isAuthApiError, isAuthSessionMissingError, isAuthWeakPasswordError, type SupabaseClient } from "@supabase/supabase-js";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { LOCAL_PUBLISHABLE_KEY } from "@/devstack/supabase/keys";
import { authEmailsTo, latestAuthLink } from "../../support/auth-mail";
import { signUpUser } from "../../support/supabase";

/**
 * What the local Auth server answers for what it doesn't implement (SAML SSO, passkeys,
 * manual linking, phone, ID-token and Web3 sign-in, phone and WebAuthn MFA): GoTrue's own
 * answers with those features off, as supabase-js surfaces them (AuthApiError's status,
 * code and message), so an app's "this isn't available" handling is the same locally and
 * on a hosted project. Sources: supabase/auth internal/api/api.go (routes and middleware
 * order), middleware.go, signup.go, token.go, token_oidc.go, otp.go, verify.go, resend.go,
 * web3.go, mfa.go, mail.go, apierrors/errorcode.go; supabase-js auth-js lib/fetch.ts
 * (handleError) and GoTrueClient.ts.
 */

const url = () => inject("supabaseUrl");
const client = () => createClient(url(), LOCAL_PUBLISHABLE_KEY, { auth: { persistSession: false, autoRefreshToken: false } });

type Expected = { status: number; code: string; message: string };

/** The error supabase-js returned is GoTrue's: an AuthApiError with this status, code and message. */
function expectApiError(error: unknown, expected: Expected) {
  expect(isAuthApiError(error), `expected an AuthApiError, got ${String(error)}`).toBe(true);
  if (!isAuthApiError(error)) return;
  expect({ status: error.status, code: error.code, message: error.message }).toEqual(expected);
}

/** A raw request's answer: GoTrue's HTTPError JSON (the shape without an API-version header) and its error-code header. */
async function expectRawError(response: Response, expected: Expected) {
  expect(response.status).toBe(expected.status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.headers.get("x-sb-error-code")).toBe(expected.code);
  expect(await response.json()).toEqual({ code: expected.status, error_code: expected.code, msg: expected.message });
}

const auth = (path: string, init: RequestInit = {}) =>
  fetch(`${url()}/auth/v1${path}`, { ...init, headers: { apikey: LOCAL_PUBLISHABLE_KEY, ...init.headers } });

/** A confirmed user signed in on a client of its own (the session lives in that client). */
async function signedIn(): Promise<{ email: string; user: SupabaseClient }> {
  const { email, password } = await signUpUser("Auth errors");
  const user = client();
  const { error } = await user.auth.signInWithPassword({ email, password });
  if (error) throw error;
  return { email, user };
}

/** A syntactically valid, unsigned JWT with these claims (GoTrue reads `iss` before verifying). */
const unsignedJwt = (claims: Record<string, unknown>) =>
  [{ alg: "RS256", typ: "JWT" }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString("base64url")).join(".") + ".c2ln";

describe("SAML SSO is off", () => {
  const disabled = { status: 404, code: "saml_provider_disabled", message: "SAML 2.0 is disabled" };

  it("answers signInWithSSO with 404 saml_provider_disabled, before any authentication", async () => {
    expectApiError((await client().auth.signInWithSSO({ domain: "example.com" })).error, disabled);
    expectApiError((await client().auth.signInWithSSO({ providerId: crypto.randomUUID() })).error, disabled);
  });

  it("answers every /sso endpoint the same, as JSON", async () => {
    await expectRawError(await auth("/sso/saml/metadata"), disabled);
    await expectRawError(await auth("/sso/saml/acs", { method: "POST" }), disabled);
  });
});

describe("passkeys are off", () => {
  const disabled = { status: 404, code: "passkey_disabled", message: "Passkeys are disabled" };
  let user: SupabaseClient;
  beforeAll(async () => ({ user } = await signedIn()));

  it("answers passkey sign-in with 404 passkey_disabled", async () => {
    expectApiError((await client().auth.passkey.startAuthentication()).error, disabled);
    await expectRawError(await auth("/passkeys/authentication/verify", { method: "POST", body: "{}" }), disabled);
  });

  it("answers a signed-in user's passkey calls with 404 passkey_disabled", async () => {
    expectApiError((await user.auth.passkey.startRegistration()).error, disabled);
    expectApiError((await user.auth.passkey.list()).error, disabled);
    expectApiError((await user.auth.passkey.delete({ passkeyId: crypto.randomUUID() })).error, disabled);
  });
});

describe("manual identity linking is off (enable_manual_linking = false)", () => {
  const disabled = { status: 404, code: "manual_linking_disabled", message: "Manual linking is disabled" };
  let user: SupabaseClient;
  beforeAll(async () => ({ user } = await signedIn()));

  it("answers linkIdentity with 404 manual_linking_disabled", async () => {
    const { error } = await user.auth.linkIdentity({ provider: "github", options: { skipBrowserRedirect: true } });
    expectApiError(error, disabled);
  });

  it("answers unlinkIdentity with 404 manual_linking_disabled", async () => {
    const identities = await user.auth.getUserIdentities();
    if (identities.error) throw identities.error;
    const [identity] = identities.data.identities;
    if (!identity) throw new Error("the user has no identity");
    expectApiError((await user.auth.unlinkIdentity(identity)).error, disabled);
  });

  it("asks for a session first, as GoTrue's /user routes do", async () => {
    await expectRawError(await auth("/user/identities/authorize?provider=github"), {
      status: 401,
      code: "no_authorization",
      message: "This endpoint requires a valid Bearer token",
    });
  });
});

describe("phone and WebAuthn MFA can't be enrolled", () => {
  let user: SupabaseClient;
  beforeAll(async () => ({ user } = await signedIn()));

  it("answers mfa.enroll({ factorType: 'phone' }) with 422 mfa_phone_enroll_not_enabled", async () => {
    const { error } = await user.auth.mfa.enroll({ factorType: "phone", phone: "+15555550100" });
    expectApiError(error, { status: 422, code: "mfa_phone_enroll_not_enabled", message: "MFA enroll is disabled for Phone" });
  });

  it("answers mfa.enroll({ factorType: 'webauthn' }) with 422 mfa_webauthn_enroll_not_enabled", async () => {
    const { error } = await user.auth.mfa.enroll({ factorType: "webauthn" });
    expectApiError(error, { status: 422, code: "mfa_webauthn_enroll_not_enabled", message: "MFA enroll is disabled for WebAuthn" });
  });
});

describe("OAuth, ID-token, Web3 and anonymous sign-in with the provider off", () => {
  it("answers the signInWithOAuth URL of a provider that isn't enabled with 400 validation_failed", async () => {
    const { data, error } = await client().auth.signInWithOAuth({ provider: "github", options: { skipBrowserRedirect: true } });
    if (error) throw error;
    // A browser follows this URL itself (no API-version header): GoTrue's HTTPError JSON.
    await expectRawError(await fetch(data.url), {
      status: 400,
      code: "validation_failed",
      message: "Unsupported provider: provider is not enabled",
    });
  });

  it("answers signInWithIdToken for a provider that isn't enabled with 400 provider_disabled", async () => {
    const google = await client().auth.signInWithIdToken({ provider: "google", token: unsignedJwt({ iss: "https://accounts.google.com" }) });
    expectApiError(google.error, { status: 400, code: "provider_disabled", message: 'Provider (issuer "https://accounts.google.com") is not enabled' });
    const apple = await client().auth.signInWithIdToken({ provider: "apple", token: unsignedJwt({ iss: "https://appleid.apple.com" }) });
    expectApiError(apple.error, { status: 400, code: "provider_disabled", message: 'Provider (issuer "https://appleid.apple.com") is not enabled' });
  });

  it("answers signInWithIdToken's other refusals as GoTrue's provider lookup does", async () => {
    const unreadable = await client().auth.signInWithIdToken({ provider: "apple", token: "not-a-jwt" });
    expectApiError(unreadable.error, { status: 400, code: "validation_failed", message: "Unable to detect issuer in ID token for Apple provider" });
    const custom = await client().auth.signInWithIdToken({ provider: "custom:acme", token: unsignedJwt({}) });
    expectApiError(custom.error, { status: 400, code: "validation_failed", message: "Custom OAuth providers are disabled" });
    const unknown = await client().auth.signInWithIdToken({ provider: "acme", token: unsignedJwt({}) });
    expectApiError(unknown.error, { status: 400, code: "validation_failed", message: 'Custom OIDC provider "acme" not allowed' });
  });

  it("answers signInWithWeb3 with 422 web3_provider_disabled", async () => {
    const { error } = await client().auth.signInWithWeb3({ chain: "ethereum", message: "example.com wants you to sign in", signature: "0x00" });
    expectApiError(error, { status: 422, code: "web3_provider_disabled", message: "Web3 provider is disabled" });
  });

  it("answers signInAnonymously with 422 anonymous_provider_disabled (off unless config.toml turns it on)", async () => {
    const { error } = await client().auth.signInAnonymously();
    expectApiError(error, { status: 422, code: "anonymous_provider_disabled", message: "Anonymous sign-ins are disabled" });
  });
});

describe("the phone provider is off", () => {
  const phone = "+15555550100";
  const password = "correct horse battery";

  it("answers a phone signUp with 400 phone_provider_disabled, after checking the password", async () => {
    expectApiError((await client().auth.signUp({ phone, password })).error, {
      status: 400,
      code: "phone_provider_disabled",
      message: "Phone signups are disabled",
    });
    const weak = await client().auth.signUp({ phone, password: "short" });
    expect(isAuthWeakPasswordError(weak.error)).toBe(true);
    expect(weak.error?.status).toBe(422);
  });

  it("answers signInWithPassword with a phone with 422 phone_provider_disabled", async () => {
    expectApiError((await client().auth.signInWithPassword({ phone, password })).error, {
      status: 422,
      code: "phone_provider_disabled",
      message: "Phone logins are disabled",
    });
  });

  it("answers signInWithOtp with a phone with 400 phone_provider_disabled, or otp_disabled without sign-up", async () => {
    expectApiError((await client().auth.signInWithOtp({ phone })).error, {
      status: 400,
      code: "phone_provider_disabled",
      message: "Unsupported phone provider",
    });
    expectApiError((await client().auth.signInWithOtp({ phone, options: { shouldCreateUser: false } })).error, {
      status: 422,
      code: "otp_disabled",
      message: "Signups not allowed for otp",
    });
  });

  it("answers verifyOtp with a phone with 403 otp_expired, as for any code no user has", async () => {
    const expired = { status: 403, code: "otp_expired", message: "Token has expired or is invalid" };
    expectApiError((await client().auth.verifyOtp({ phone, token: "123456", type: "sms" })).error, expired);
    expectApiError((await client().auth.verifyOtp({ phone, token: "123456", type: "phone_change" })).error, expired);
    expectApiError((await client().auth.verifyOtp({ phone: "not a number", token: "123456", type: "sms" })).error, {
      status: 400,
      code: "validation_failed",
      message: "Invalid phone number format (E.164 required)",
    });
  });

  it("answers resend of an SMS code with 400 phone_provider_disabled", async () => {
    expectApiError((await client().auth.resend({ phone, type: "sms" })).error, {
      status: 400,
      code: "phone_provider_disabled",
      message: "Phone logins are disabled",
    });
  });
});

describe("reauthenticate", () => {
  it("needs a session: supabase-js refuses before asking, the server answers 401 no_authorization", async () => {
    const { error } = await client().auth.reauthenticate();
    expect(isAuthSessionMissingError(error)).toBe(true);
    await expectRawError(await auth("/reauthenticate"), {
      status: 401,
      code: "no_authorization",
      message: "This endpoint requires a valid Bearer token",
    });
  });

  it("emails a nonce, then answers 429 over_email_send_rate_limit within max_frequency", async () => {
    const { email, user } = await signedIn();
    const before = (await authEmailsTo(email)).length;
    expect((await user.auth.reauthenticate()).error).toBeNull();
    expect((await authEmailsTo(email)).length).toBe(before + 1);

    const again = await user.auth.reauthenticate();
    expect(isAuthApiError(again.error)).toBe(true);
    expect(again.error?.status).toBe(429);
    expect(again.error?.code).toBe("over_email_send_rate_limit");
    expect(again.error?.message).toMatch(/^For security purposes, you can only request this after \d+ seconds\.$/);
    expect((await authEmailsTo(email)).length).toBe(before + 1);
  });
});

describe("error bodies follow the API version the request asks for", () => {
  // supabase-js sends this header on every Auth request (auth-js lib/fetch.ts).
  const versioned = { "X-Supabase-Api-Version": "2024-01-01" };

  it("answers a 2024-01-01 request with { code, message } and echoes the version", async () => {
    const response = await auth("/sso", { method: "POST", body: "{}", headers: versioned });
    expect(response.status).toBe(404);
    expect(response.headers.get("x-supabase-api-version")).toBe("2024-01-01");
    expect(response.headers.get("x-sb-error-code")).toBe("saml_provider_disabled");
    expect(await response.json()).toEqual({ code: "saml_provider_disabled", message: "SAML 2.0 is disabled" });
  });

  it("answers the session check's 401 in the same shape", async () => {
    const response = await auth("/user", { headers: versioned });
    expect(response.status).toBe(401);
    expect(response.headers.get("x-supabase-api-version")).toBe("2024-01-01");
    expect(await response.json()).toEqual({ code: "no_authorization", message: "This endpoint requires a valid Bearer token" });
  });

  it("keeps a weak password's reasons, without the error-code header, as GoTrue does", async () => {
    const response = await auth("/signup", {
      method: "POST",
      headers: { ...versioned, "content-type": "application/json" },
      body: JSON.stringify({ email: `weak-${crypto.randomUUID()}@example.com`, password: "short" }),
    });
    expect(response.status).toBe(422);
    expect(response.headers.get("x-sb-error-code")).toBeNull();
    expect(await response.json()).toEqual({
      code: "weak_password",
      message: "Password should be at least 8 characters.",
      weak_password: { reasons: ["length"] },
    });
  });

  it("answers an earlier or unreadable version with the original HTTPError JSON and no version header", async () => {
    for (const version of ["2023-12-31", "2024-13-01", "latest"]) {
      const response = await auth("/sso", { method: "POST", body: "{}", headers: { "X-Supabase-Api-Version": version } });
      expect(response.headers.get("x-supabase-api-version")).toBeNull();
      await expectRawError(response, { status: 404, code: "saml_provider_disabled", message: "SAML 2.0 is disabled" });
    }
  });
});

describe("email verification and recovery, as GoTrue answers them", () => {
  const password = "correct horse battery";
  const tokenHash = async (email: string) => (await latestAuthLink(email)).searchParams.get("token_hash") ?? "";

  it("verifies a sign-up confirmation with type 'email' (the SSR guide's link) and signs in", async () => {
    const email = `email-type-${crypto.randomUUID()}@example.com`;
    const signedUp = await client().auth.signUp({ email, password });
    if (signedUp.error) throw signedUp.error;
    const { data, error } = await client().auth.verifyOtp({ type: "email", token_hash: await tokenHash(email) });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.user?.email_confirmed_at).toBeTruthy();
    expect(data.session?.access_token).toBeTruthy();
  });

  it("verifies a recovery link with type 'email' as a magic link, and the used link is then expired", async () => {
    const { email } = await signUpUser("Recovering");
    const asked = await client().auth.resetPasswordForEmail(email);
    if (asked.error) throw asked.error;
    const hash = await tokenHash(email);
    const { data, error } = await client().auth.verifyOtp({ type: "email", token_hash: hash });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.session?.access_token).toBeTruthy();
    const again = await client().auth.verifyOtp({ type: "email", token_hash: hash });
    expectApiError(again.error, { status: 403, code: "otp_expired", message: "Email link is invalid or has expired" });
  });

  it("sends one recovery email per max_frequency: a second request answers 429 over_email_send_rate_limit", async () => {
    const { email } = await signUpUser("Forgetful");
    const before = (await authEmailsTo(email)).length;
    expect((await client().auth.resetPasswordForEmail(email)).error).toBeNull();
    const again = await client().auth.resetPasswordForEmail(email);
    expect(isAuthApiError(again.error)).toBe(true);
    expect(again.error?.status).toBe(429);
    expect(again.error?.code).toBe("over_email_send_rate_limit");
    expect(again.error?.message).toMatch(/^For security purposes, you can only request this after \d+ seconds\.$/);
    expect((await authEmailsTo(email)).length).toBe(before + 1);
    // An unknown address answers like a send, so the endpoint doesn't tell who has an account.
    expect((await client().auth.resetPasswordForEmail(`nobody-${crypto.randomUUID()}@example.com`)).error).toBeNull();
  });
});

// GoTrue's password grant (internal/api/token.go, ResourceOwnerPasswordGrant) checks the
// password before the confirmation, so only someone who knows the password learns that an
// address has an account waiting for its confirmation link.
describe("signInWithPassword and an unconfirmed address", () => {
  const password = "correct horse battery";

  async function unconfirmed(): Promise<string> {
    const email = `unconfirmed-${crypto.randomUUID()}@example.com`;
    const { data, error } = await client().auth.signUp({ email, password });
    if (error) throw error;
    expect(data.session).toBeNull();
    return email;
  }

  it("answers a wrong password 400 invalid_credentials, as for an unknown address", async () => {
    const email = await unconfirmed();
    const invalid = { status: 400, code: "invalid_credentials", message: "Invalid login credentials" };
    expectApiError((await client().auth.signInWithPassword({ email, password: "not the password" })).error, invalid);
    expectApiError((await client().auth.signInWithPassword({ email: `nobody-${crypto.randomUUID()}@example.com`, password })).error, invalid);
  });

  it("answers the right password 400 email_not_confirmed", async () => {
    const email = await unconfirmed();
    expectApiError((await client().auth.signInWithPassword({ email, password })).error, {
      status: 400,
      code: "email_not_confirmed",
      message: "Email not confirmed",
    });
  });
});
