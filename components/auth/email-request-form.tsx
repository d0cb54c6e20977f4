"use client";

import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { useAuthForm } from "./use-auth-form";

type Props = {
  /** An endpoint taking `{ email }` that answers the same whether or not it has an account. */
  url: "/api/auth/forgot-password" | "/api/auth/resend";
  submitLabel: string;
  /** What to say once sent, given the address. */
  sent: (email: string) => ReactNode;
};

/** One email field that asks for a link: "forgot password", "send the confirmation again". */
export function EmailRequestForm({ url, submitLabel, sent }: Props) {
  const { form, pending, fieldErrors, formError, result, submitted } = useAuthForm<{ sent: true }>(url, () => null);

  if (result) return <Alert tone="success">{sent(String(submitted?.email ?? ""))}</Alert>;

  return (
    <form {...form} className="space-y-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <TextField name="email" label="Email" type="email" autoComplete="email" required error={fieldErrors.email} />
      <Button type="submit" pending={pending} pendingLabel="Sending…" className="w-full">
        {submitLabel}
      </Button>
    </form>
  );
}
