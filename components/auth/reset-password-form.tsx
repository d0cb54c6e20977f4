"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { AFTER_SIGN_IN_PATH } from "@/lib/auth/redirect";
import { useAuthForm } from "./use-auth-form";

/** Sets the signed-in user's password, then goes on to the dashboard. */
export function ResetPasswordForm() {
  const { form, pending, fieldErrors, formError } = useAuthForm("/api/auth/reset-password", () => AFTER_SIGN_IN_PATH);

  return (
    <form {...form} className="space-y-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <TextField
        name="password"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 8 characters."
        error={fieldErrors.password}
      />
      <Button type="submit" pending={pending} pendingLabel="Saving…" className="w-full">
        Save the new password
      </Button>
    </form>
  );
}
