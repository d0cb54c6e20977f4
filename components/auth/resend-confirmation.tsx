"use client";

import { useMutation } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { postJson } from "@/lib/http/client";
import { HttpError } from "@/lib/http/errors";

/**
 * "Resend the email": asks for another confirmation link for `email`. The answer is the
 * same whether a new email went out or the last one (Supabase Auth sends one a minute) is
 * still on its way, so the page says a link is coming, not that a new one was sent. A 429
 * is the app's own limit on asking again and again, and says how long to wait.
 */
export function ResendConfirmation({ email }: { email: string }) {
  const mutation = useMutation({ mutationFn: () => postJson("/api/auth/resend", { email }) });

  return (
    <div className="space-y-3">
      {mutation.isSuccess && (
        <Alert tone="success">A link is on its way to {email}. It can take a minute to arrive.</Alert>
      )}
      {mutation.error && (
        <Alert tone="error">
          {mutation.error instanceof HttpError
            ? mutation.error.message
            : "Couldn't reach the server. Check your connection and try again."}
        </Alert>
      )}
      <Button
        type="button"
        variant="secondary"
        className="w-full"
        pending={mutation.isPending}
        pendingLabel="Sending…"
        onClick={() => mutation.mutate()}
      >
        Resend the email
      </Button>
    </div>
  );
}
