"use client";

import { useMutation } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { postJson } from "@/lib/http/client";
import { HttpError } from "@/lib/http/errors";

/**
 * "Resend the email": asks for another confirmation link for `email`. Supabase Auth sends
 * one email per address a minute; its 429 then means a link is already on its way, which
 * is news, not a failure (a double click, or a click right after signing up).
 */
export function ResendConfirmation({ email }: { email: string }) {
  const mutation = useMutation({ mutationFn: () => postJson("/api/auth/resend", { email }) });
  const tooSoon = mutation.error instanceof HttpError && mutation.error.status === 429;

  return (
    <div className="space-y-3">
      {mutation.isSuccess && <Alert tone="success">We sent another link to {email}.</Alert>}
      {tooSoon && (
        <Alert tone="info">
          A link went to {email} less than a minute ago: give it a moment to arrive. You can ask for another
          after a minute.
        </Alert>
      )}
      {mutation.error && !tooSoon && (
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
