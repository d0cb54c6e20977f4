import type { AuthError, User } from "@supabase/supabase-js";
import { HttpError } from "@/lib/http/errors";
import type { Db } from "@/lib/supabase/db";
import type { SignInInput, SignUpInput } from "./schemas";


/**
 * Creates the account; the database gives it a profile and a personal organisation.
 * `signedIn` is false when the project requires email confirmation first.
 */
export async function signUp(
  supabase: Db,
  input: SignUpInput,
): Promise<{ user: User; signedIn: boolean }> {
  const { data, error } = await supabase.auth.signUp({
    email: input.email,
    password: input.password,
    // The profile trigger falls back to the email's local part without a display name.
    options: { data: { display_name: input.displayName || undefined } },
  });
  if (error) throw toHttpError(error);
  if (!data.user) throw new Error("Supabase Auth accepted the sign-up but returned no user");
  return { user: data.user, signedIn: data.session !== null };
}

export async function signIn(supabase: Db, input: SignInInput): Promise<User> {
  const { data, error } = await supabase.auth.signInWithPassword(input);
  if (error) throw toHttpError(error);
  return data.user;
}

/** Ends the session and clears its cookies; a no-op when nobody is signed in. */
export async function signOut(supabase: Db): Promise<void> {
  const { error } = await supabase.auth.signOut();
  if (error) throw toHttpError(error);
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
    case "over_request_rate_limit":
      return new HttpError(429, "rate_limited", "Too many attempts. Wait a minute and try again.");
    default:
      return error;
  }
}
