"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { ResendConfirmation } from "./resend-confirmation";
import { useAuthForm } from "./use-auth-form";

/** `redirectTo` must already be a safe, same-site path (see safeNextPath). */
export function SignInForm({ redirectTo }: { redirectTo: string }) {
  const { form, pending, fieldErrors, formError, errorCode, submitted } = useAuthForm(
    "/api/auth/sign-in",
    () => redirectTo,
  );

  return (
    <form {...form} className="space-y-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      {errorCode === "email_not_confirmed" && typeof submitted?.email === "string" && (
        <ResendConfirmation email={submitted.email} />
      )}
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
        autoComplete="current-password"
        required
        error={fieldErrors.password}
      />
      <Button type="submit" pending={pending} pendingLabel="Signing in…" className="w-full">
        Sign in
      </Button>
    </form>
  );
}
