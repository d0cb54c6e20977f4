import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { getViewer } from "@/lib/auth/viewer";
import { textLinkClass } from "@/components/ui/text-link";

export const metadata: Metadata = { title: "Choose a new password" };

/** Where a recovery link lands (/auth/confirm?type=recovery signed the user in). */
export default async function ResetPasswordPage() {
  const viewer = await getViewer();

  if (!viewer) {
    return (
      <>
        <h1 className="text-2xl font-semibold tracking-tight">Choose a new password</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Open the link from your reset email to get here, or ask for a new one.
        </p>
        <p className="mt-8 text-center text-sm">
          <Link href="/forgot-password" className={`font-semibold ${textLinkClass}`}>
            Email me a reset link
          </Link>
        </p>
      </>
    );
  }

  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">Choose a new password</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">For {viewer.email}. Your old password stops working.</p>
      <div className="mt-8">
        <ResetPasswordForm />
      </div>
    </>
  );
}
