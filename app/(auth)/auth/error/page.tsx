import type { Metadata } from "next";
import Link from "next/link";
import { EmailRequestForm } from "@/components/auth/email-request-form";
import { textLinkClass } from "@/components/ui/text-link";

export const metadata: Metadata = { title: "This link didn't work" };

type Props = { searchParams: Promise<{ reason?: string | string[]; type?: string | string[] }> };

const reasons: Record<string, string> = {
  // Supabase Auth says `otp_expired` for a used link as for an old one.
  expired: "This link has expired or was already used. Each link works once, for an hour.",
  invalid: "This link isn't valid: it may be incomplete, or a newer email replaced it.",
  unavailable: "We couldn't check this link just now. Try opening it again in a minute.",
};

/** Where /auth/confirm sends a link that didn't verify: what happened, and what to do. */
export default async function AuthErrorPage({ searchParams }: Props) {
  const { reason, type } = await searchParams;
  const message = reasons[typeof reason === "string" ? reason : "invalid"] ?? reasons.invalid;
  const recovery = type === "recovery";
  const emailChange = type === "email_change";

  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">This link didn&apos;t work</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{message}</p>
      {emailChange ? (
        <p className="mt-8 text-sm text-zinc-600 dark:text-zinc-400">
          <Link href="/dashboard/settings#email-settings" className={`font-semibold ${textLinkClass}`}>
            Ask for the change again in Settings
          </Link>
        </p>
      ) : recovery ? (
        <p className="mt-8 text-sm text-zinc-600 dark:text-zinc-400">
          <Link href="/forgot-password" className={`font-semibold ${textLinkClass}`}>
            Ask for a new reset link
          </Link>
        </p>
      ) : (
        <div className="mt-8 space-y-3">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Already confirmed?{" "}
            <Link href="/sign-in" className={`font-semibold ${textLinkClass}`}>
              Sign in
            </Link>
            . Otherwise we can send you a new confirmation link:
          </p>
          <EmailRequestForm request="confirmation" />
        </div>
      )}
    </>
  );
}
