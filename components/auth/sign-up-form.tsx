"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { useAuthForm } from "./use-auth-form";

type SignUpResult = { user: { id: string; email: string }; signedIn: boolean };

/** `redirectTo` must already be a safe, same-site path (see safeNextPath). */
export function SignUpForm({ redirectTo }: { redirectTo: string }) {
  const { form, pending, fieldErrors, formError, result } = useAuthForm<SignUpResult>(
    "/api/auth/sign-up",
    ({ signedIn }) => (signedIn ? redirectTo : null),
  );

  // Projects that require email confirmation create the account without a session.
  if (result && !result.signedIn) {
    return (
      <Alert tone="success">
        Check your inbox: we sent a confirmation link to {result.user.email}. Open it, then sign in.
      </Alert>
    );
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
      <TextField
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        required
        error={fieldErrors.email}
      />
      <TextField
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 8 characters."
        error={fieldErrors.password}
      />
      <Button type="submit" pending={pending} pendingLabel="Creating account…" className="w-full">
        Create account
      </Button>
    </form>
  );
}
