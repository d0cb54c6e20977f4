"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { useAuthForm } from "@/components/auth/use-auth-form";

type Props = {
  current: string;
  /** An address waiting for its confirmation link to be opened, if any. */
  pending: string | null;
};

/** Changes the sign-in address; it takes effect when the emailed link is opened. */
export function EmailChangeForm({ current, pending }: Props) {
  const { form, pending: saving, fieldErrors, formError, result } = useAuthForm<{ pendingEmail: string }>(
    "/api/auth/email",
    () => null,
  );
  const waitingFor = result?.pendingEmail ?? pending;

  return (
    <form {...form} className="max-w-xl space-y-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      {waitingFor && (
        <Alert tone="success">
          Check your inbox: open the link we emailed to confirm the change to {waitingFor}. Until then you
          sign in as {current}.
        </Alert>
      )}
      <TextField
        name="email"
        label="New email address"
        type="email"
        autoComplete="email"
        required
        error={fieldErrors.email}
      />
      <Button type="submit" pending={saving} pendingLabel="Sending…">
        Change email
      </Button>
    </form>
  );
}
