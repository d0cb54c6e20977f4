"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmailField } from "./credential-fields";
import { useAuthForm } from "./use-auth-form";

/**
 * The links one email field can ask for, with what to say once asked. Both endpoints
 * answer the same whether or not the address has an account, and so does the message.
 */
const requests = {
  reset: {
    url: "/api/auth/forgot-password",
    submitLabel: "Email me a reset link",
    sent: (email: string) => `Check your inbox: if ${email} has an account, a link to reset its password is on its way.`,
  },
  confirmation: {
    url: "/api/auth/resend",
    submitLabel: "Resend the email",
    sent: (email: string) => `Check your inbox: if ${email} is waiting for confirmation, a new link is on its way.`,
  },
} as const;

/** One email field that asks for a link: "forgot password", "send the confirmation again". */
export function EmailRequestForm({ request }: { request: keyof typeof requests }) {
  const { url, submitLabel, sent } = requests[request];
  const { form, pending, fieldErrors, formError, result, submitted } = useAuthForm<{ sent: true }>(url, () => null);

  if (result) return <Alert tone="success">{sent(String(submitted?.email ?? ""))}</Alert>;

  return (
    <form {...form} className="space-y-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <EmailField error={fieldErrors.email} />
      <Button type="submit" pending={pending} pendingLabel="Sending…" className="w-full">
        {submitLabel}
      </Button>
    </form>
  );
}
