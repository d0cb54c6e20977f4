"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ResendConfirmation } from "./resend-confirmation";
import { EmailField, PasswordField } from "./credential-fields";
import { useAuthForm } from "./use-auth-form";

/** `redirectTo` must already be a safe, same-site path (see safeNextPath); `email` prefills the address. */
export function SignInForm({ redirectTo, email }: { redirectTo: string; email?: string }) {
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
      <EmailField error={fieldErrors.email} defaultValue={email} />
      <PasswordField kind="current" error={fieldErrors.password} />
      <Button type="submit" pending={pending} pendingLabel="Signing in…" className="w-full">
        Sign in
      </Button>
    </form>
  );
}
