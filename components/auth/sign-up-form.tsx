"use client";

import { useEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { ResendConfirmation } from "./resend-confirmation";
import { EmailField, PasswordField } from "./credential-fields";
import { useAuthForm } from "./use-auth-form";

type SignUpResult = { user: { id: string; email: string }; signedIn: boolean };

/**
 * `redirectTo` must already be a safe, same-site path (see safeNextPath). It is sent with
 * the sign-up too, so the emailed confirmation link leads there as well. `email` prefills
 * the address (an invitation names it).
 */
export function SignUpForm({ redirectTo, email }: { redirectTo: string; email?: string }) {
  const { form, pending, fieldErrors, formError, result, submitted } = useAuthForm<SignUpResult>(
    "/api/auth/sign-up",
    ({ signedIn }) => (signedIn ? redirectTo : null),
  );

  // Projects that require email confirmation (hosted ones do by default) create the
  // account without a session: the emailed link signs the user in.
  if (result && !result.signedIn) {
    return <CheckYourInbox email={String(submitted?.email ?? result.user.email)} />;
  }

  return (
    <form {...form} className="space-y-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <TextField
        name="displayName"
        label="Name (optional)"
        autoComplete="name"
        maxLength={100}
        error={fieldErrors.displayName}
      />
      <input type="hidden" name="next" value={redirectTo} />
      <EmailField error={fieldErrors.email} defaultValue={email} />
      <PasswordField kind="new" error={fieldErrors.password} />
      <Button type="submit" pending={pending} pendingLabel="Creating account…" className="w-full">
        Create account
      </Button>
    </form>
  );
}

/**
 * What sign-up shows when the account waits for its confirmation link. The form it
 * replaces had focus: move it to the heading, so keyboard and screen-reader users land on
 * the news rather than at the top of the page.
 */
function CheckYourInbox({ email }: { email: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="space-y-5">
      <h2 ref={heading} tabIndex={-1} className="text-lg font-semibold focus:outline-none">
        Confirm your email
      </h2>
      <Alert tone="success">Check your inbox for a link to confirm {email}. Opening it signs you in.</Alert>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">No email after a minute? Check your spam folder, or:</p>
      <ResendConfirmation email={email} />
    </div>
  );
}
