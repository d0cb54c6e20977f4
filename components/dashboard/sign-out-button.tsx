"use client";

import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { postJson } from "@/lib/http/client";

/** `to`: where the signed-out visitor goes (an invitation sends them to sign in as the invited address). */
export function SignOutButton({ to = "/sign-in" }: { to?: string }) {
  const signOut = useMutation({
    mutationFn: () => postJson("/api/auth/sign-out"),
    // A full page load drops everything cached for this user, in React Query and in the
    // router (router.refresh() clears only the current route), so nobody can go back to it.
    onSuccess: () => window.location.assign(to),
  });

  return (
    <div className="flex items-center gap-3">
      {signOut.isError && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          Couldn&apos;t sign out. Try again.
        </p>
      )}
      <Button
        variant="secondary"
        pending={signOut.isPending || signOut.isSuccess}
        pendingLabel="Signing out…"
        onClick={() => signOut.mutate()}
      >
        Sign out
      </Button>
    </div>
  );
}
