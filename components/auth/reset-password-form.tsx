"use client";

import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { AFTER_SIGN_IN_PATH } from "@/lib/auth/redirect";
import { PasswordField } from "./credential-fields";
import { useAuthForm } from "./use-auth-form";

/** Sets the signed-in user's password, and says so before the user goes on. */
export function ResetPasswordForm() {
  const { form, pending, fieldErrors, formError, succeeded } = useAuthForm("/api/auth/reset-password", () => null);

  if (succeeded) {
    return (
      <div className="space-y-5">
        <Alert tone="success">Your password was changed. Use the new one next time you sign in.</Alert>
        <Link
          href={AFTER_SIGN_IN_PATH}
          className="inline-flex w-full justify-center rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 dark:focus-visible:outline-brand-400"
        >
          Go to your dashboard
        </Link>
      </div>
    );
  }

  return (
    <form {...form} className="space-y-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <PasswordField kind="new" label="New password" error={fieldErrors.password} />
      <Button type="submit" pending={pending} pendingLabel="Saving…" className="w-full">
        Save the new password
      </Button>
    </form>
  );
}
