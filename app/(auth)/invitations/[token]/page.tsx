import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/dashboard/sign-out-button";
import { AcceptInvitation } from "@/components/teams/accept-invitation";
import { roleLabels } from "@/components/teams/roles";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { textLinkClass } from "@/components/ui/text-link";
import { authPageHref } from "@/lib/auth/redirect";
import { getViewer } from "@/lib/auth/viewer";
import { createServiceSupabase } from "@/lib/supabase/service";
import { previewInvitation } from "@/lib/teams/invitations";

// The link is a secret: keep it out of search engines, and the page out of any cache.
export const metadata: Metadata = { title: "Invitation", robots: { index: false, follow: false } };

type Props = { params: Promise<{ token: string }> };

/**
 * Where an invitation email's link lands. Whoever holds the link sees the team, the role
 * and the address it was sent to (the token is the proof, so the preview is read with the
 * service role); a signed-out visitor signs up or in and comes back here; the invited
 * address accepts it; anyone else, or a dead link, is told why not.
 */
export default async function InvitationPage({ params }: Props) {
  const { token } = await params;
  const [preview, viewer] = await Promise.all([previewInvitation(createServiceSupabase(), { token }), getViewer()]);
  const here = `/invitations/${encodeURIComponent(token)}`;

  if (!preview) {
    return (
      <Outcome title="This invitation link doesn't work">
        It may have been revoked, or replaced by a newer invitation (each one sent makes the earlier link stop working).
        Ask whoever invited you to send it again.
      </Outcome>
    );
  }

  const team = preview.orgName;
  if (preview.status === "accepted") {
    return (
      <Outcome title="This invitation was already accepted" viewer={viewer !== null}>
        An invitation works once. If it was you who accepted it, {team} is in the organisation switcher on your dashboard.
      </Outcome>
    );
  }
  if (preview.status === "expired") {
    return (
      <Outcome title="This invitation has expired" viewer={viewer !== null}>
        Invitations work for seven days. Ask {preview.inviterName ?? `an admin of ${team}`} to invite {preview.email}{" "}
        again.
      </Outcome>
    );
  }

  const invited = (
    <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
      {preview.inviterName ? `${preview.inviterName} invited` : "You're invited:"} <strong>{preview.email}</strong> to join{" "}
      <strong>{team}</strong> as {roleLabels[preview.role].toLowerCase()}.
    </p>
  );

  if (!viewer) {
    return (
      <>
        <h1 className="text-2xl font-semibold tracking-tight">Join {team}</h1>
        {invited}
        <p className="mt-6 text-sm text-zinc-600 dark:text-zinc-400">
          Create an account with {preview.email}, or sign in if you have one: you come back here to accept.
        </p>
        <div className="mt-6 space-y-3">
          <Link href={authPageHref("/sign-up", here, preview.email)} className={buttonClass("primary", "w-full")}>
            Sign up
          </Link>
          <Link href={authPageHref("/sign-in", here, preview.email)} className={buttonClass("secondary", "w-full")}>
            Sign in
          </Link>
        </div>
      </>
    );
  }

  if (viewer.email.toLowerCase() !== preview.email.toLowerCase()) {
    return (
      <>
        <h1 className="text-2xl font-semibold tracking-tight">Join {team}</h1>
        {invited}
        <div className="mt-6 space-y-4">
          <Alert tone="error">
            This invitation was sent to {preview.email}, but you&apos;re signed in as {viewer.email}. Sign out, then sign in
            (or sign up) as {preview.email} to accept it.
          </Alert>
          <SignOutButton to={authPageHref("/sign-in", here, preview.email)} />
        </div>
      </>
    );
  }

  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">Join {team}</h1>
      {invited}
      <div className="mt-6">
        <AcceptInvitation token={token} teamName={team} />
      </div>
    </>
  );
}

/** An invitation that can't be accepted: what happened, and a way on. */
function Outcome({ title, viewer = false, children }: { title: string; viewer?: boolean; children: ReactNode }) {
  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{children}</p>
      <p className="mt-8 text-center text-sm">
        <Link href={viewer ? "/dashboard" : "/sign-in"} className={`font-semibold ${textLinkClass}`}>
          {viewer ? "Go to your dashboard" : "Sign in"}
        </Link>
      </p>
    </>
  );
}
