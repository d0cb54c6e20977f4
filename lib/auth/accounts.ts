import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { AuthError, EmailOtpType, User } from "@supabase/supabase-js";
import { env } from "@/lib/env";
import { HttpError } from "@/lib/http/errors";
import { throttleAuthEmail, throttleSignIn, throttleSignUp } from "@/lib/rate-limit/auth";
import type { Db } from "@/lib/supabase/db";
import { AFTER_SIGN_IN_PATH, safeNextPath } from "./redirect";
import type { EmailLink, SignInInput, SignUpInput } from "./schemas";

/** The user metadata key that keeps a sign-up's `next` until its confirmation link is opened. */
const AFTER_CONFIRMATION_KEY = "after_confirmation";

/**
 * Where a just-confirmed sign-up goes: the `next` it was made with (an invitation's page),
 * or null for the link's own. Checked with safeNextPath: metadata is the user's to write.
 */
export function afterConfirmationPath(user: Pick<User, "user_metadata"> | null): string | null {
  const next: unknown = user?.user_metadata?.[AFTER_CONFIRMATION_KEY];
  return typeof next === "string" ? safeNextPath(next) : null;
}

/**
 * Signing in and up and asking for Auth's emails give the same answer, in about the same
 * time, whether or not the address has an account, so none of them tells a stranger who
 * has one. Supabase Auth does the answers' part (with email confirmation on, a sign-up of a
 * taken address answers with a made-up user; a wrong password and an unknown address are
 * both `invalid_credentials`) but not the timing: it hashes the password only for an
 * address that exists, and sends mail only to those. So each of these answers no sooner
 * than AUTH_MIN_RESPONSE_MS after it was asked, whatever the outcome, which covers the
 * hash and the send. `ip` is the caller's (see clientIp): each is throttled per IP and per
 * address (lib/rate-limit/auth.ts).
 */
async function answeringNoSooner<T>(work: () => Promise<T>): Promise<T> {
  const floor = sleep(env().AUTH_MIN_RESPONSE_MS);
  try {
    return await work();
  } finally {
    await floor;
  }
}

/**
 * Where Supabase Auth's own links land, for projects still on the default email
 * templates. Ours (supabase/templates) link to /auth/confirm themselves; these URLs must
 * be on the project's redirect allow-list for the defaults to honour them.
 */
function confirmUrl(next: string): string {
  return new URL(`/auth/confirm?next=${encodeURIComponent(next)}`, env().APP_URL).toString();
}

/**
 * Creates the account; the database gives it a profile and a personal organisation.
 * `signedIn` is false when the project requires email confirmation first.
 */
export async function signUp(
  supabase: Db,
  input: SignUpInput,
  ip: string,
): Promise<{ user: Pick<User, "id" | "email">; signedIn: boolean }> {
  return answeringNoSooner(async () => {
    await throttleSignUp({ ip, email: input.email });
    return createAccount(supabase, input);
  });
}

async function createAccount(supabase: Db, input: SignUpInput): Promise<{ user: Pick<User, "id" | "email">; signedIn: boolean }> {
  const next = safeNextPath(input.next);
  const { data, error } = await supabase.auth.signUp({
    email: input.email,
    password: input.password,
    options: {
      data: {
        // The profile trigger falls back to the email's local part without a display name.
        display_name: input.displayName || undefined,
        // Our confirmation email's link always says /dashboard (supabase/templates), and
        // may be opened on another device than the sign-up: the account itself remembers
        // where it was going, for /auth/confirm (afterConfirmationPath).
        [AFTER_CONFIRMATION_KEY]: next === AFTER_SIGN_IN_PATH ? undefined : next,
      },
      emailRedirectTo: confirmUrl(next),
    },
  });
  // Auth refuses to email an unconfirmed address twice within a minute, and only an
  // address with an account can have been emailed: answer as Auth does for a taken address,
  // with a made-up user, so the refusal doesn't say the account exists.
  if (error?.code === "over_email_send_rate_limit") return { user: { id: randomUUID(), email: input.email }, signedIn: false };
  if (error) throw toHttpError(error);
  if (!data.user) throw new Error("Supabase Auth accepted the sign-up but returned no user");
  return { user: data.user, signedIn: data.session !== null };
}

export async function signIn(supabase: Db, input: SignInInput, ip: string): Promise<User> {
  return answeringNoSooner(async () => {
    const throttle = await throttleSignIn({ ip, email: input.email });
    const { data, error } = await supabase.auth.signInWithPassword(input);
    if (error) throw toHttpError(error);
    await throttle.succeeded();
    return data.user;
  });
}

/** Ends the session and clears its cookies; a no-op when nobody is signed in. */
export async function signOut(supabase: Db): Promise<void> {
  const { error } = await supabase.auth.signOut();
  if (error) throw toHttpError(error);
}

/**
 * Sends the sign-up confirmation email again. Unknown and confirmed addresses get the
 * same answer, so the endpoint can't be used to find out who has an account.
 */
export async function resendConfirmation(supabase: Db, email: string, ip: string): Promise<void> {
  await answeringNoSooner(async () => {
    await throttleAuthEmail({ ip, email });
    const { error } = await supabase.auth.resend({
      type: "signup",
      email,
      options: { emailRedirectTo: confirmUrl("/dashboard") },
    });
    throwUnlessSent(error);
  });
}

/** Emails a password reset link; the same answer whether or not the address has an account. */
export async function requestPasswordReset(supabase: Db, email: string, ip: string): Promise<void> {
  await answeringNoSooner(async () => {
    await throttleAuthEmail({ ip, email });
    const { error } = await supabase.auth.resetPasswordForEmail(email, { redirectTo: confirmUrl("/reset-password") });
    throwUnlessSent(error);
  });
}

/**
 * Auth sends an address one email a minute at most, and refuses a second (429) only for an
 * address it did email, that is one with an account. Answered as sent: the email of a
 * moment ago is on its way, and an unknown address gets the same answer. Our own limits
 * (throttleAuthEmail) refuse floods for every address alike.
 */
function throwUnlessSent(error: AuthError | null): void {
  if (error && error.code !== "over_email_send_rate_limit") throw toHttpError(error);
}

/** Sets the signed-in user's password (after a recovery link, the link's session). */
export async function updatePassword(supabase: Db, password: string): Promise<void> {
  const { error } = await supabase.auth.updateUser({ password });
  if (error) throw toHttpError(error);
}

/**
 * Starts an email change: Supabase Auth emails a confirmation link, and the address
 * changes when it is opened (the profile follows through a trigger). Returns the address
 * waiting for confirmation.
 */
export async function requestEmailChange(supabase: Db, user: Pick<User, "email">, email: string): Promise<string> {
  // Auth would answer as if it sent a link, and send nothing.
  if (user.email?.toLowerCase() === email) {
    const message = "That is already your address.";
    throw new HttpError(400, "same_email", message, { email: message });
  }
  const { data, error } = await supabase.auth.updateUser(
    { email },
    { emailRedirectTo: confirmUrl("/dashboard/settings") },
  );
  if (error) throw toHttpError(error);
  return data.user.new_email ?? email;
}

export type VerifiedLink =
  | { ok: true; user: User | null; type: EmailOtpType }
  | { ok: false; reason: "expired" | "invalid" | "unavailable" };

/**
 * Verifies an emailed link's token hash and, on success, signs the user in (the session
 * lands in cookies). A wrong, used or expired token is an answer, not an error: the page
 * explains it.
 */
export async function verifyEmailLink(supabase: Db, link: EmailLink): Promise<VerifiedLink> {
  const { data, error } = await supabase.auth.verifyOtp({ type: link.type, token_hash: link.token_hash });
  if (!error) return { ok: true, user: data.user, type: link.type };
  if (error.code === "otp_expired") return { ok: false, reason: "expired" };
  // Too many attempts from here: the link may be fine, so say to try again later.
  if (error.status === 429) return { ok: false, reason: "unavailable" };
  if (error.status !== undefined && error.status >= 400 && error.status < 500) return { ok: false, reason: "invalid" };
  throw error;
}

/** Supabase Auth's error codes, translated for people; unknown ones stay server errors. */
function toHttpError(error: AuthError): Error {
  switch (error.code) {
    case "user_already_exists":
    case "email_exists": {
      const message = "An account with this email already exists.";
      return new HttpError(409, "email_taken", message, { email: message });
    }
    case "invalid_credentials":
      return new HttpError(401, "invalid_credentials", "Email or password is incorrect.");
    case "email_not_confirmed":
      return new HttpError(
        403,
        "email_not_confirmed",
        "Confirm your email address first: open the link we sent you.",
      );
    case "weak_password":
      // Supabase Auth's message names the rule the password broke.
      return new HttpError(400, "weak_password", "Choose a stronger password.", {
        password: error.message,
      });
    case "email_address_invalid":
      return new HttpError(400, "invalid_request", "Check these fields: email.", {
        email: "Enter a valid email address.",
      });
    case "same_password":
      return new HttpError(400, "same_password", "Choose a password you haven't used here before.", {
        password: "That is your current password. Choose a new one.",
      });
    case "over_request_rate_limit":
      return new HttpError(429, "rate_limited", "Too many attempts. Wait a minute and try again.", undefined, {
        "Retry-After": "60",
      });
    case "over_email_send_rate_limit": {
      // Supabase Auth's message says how long: "… you can only request this after 42 seconds."
      const seconds = /after (\d+) seconds?/.exec(error.message)?.[1] ?? "60";
      return new HttpError(
        429,
        "rate_limited",
        `We just sent you an email. Wait ${seconds} seconds before asking for another.`,
        undefined,
        { "Retry-After": seconds },
      );
    }
    default:
      return error;
  }
}
