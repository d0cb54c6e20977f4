import type { Metadata } from "next";
import Link from "next/link";
import { EmailRequestForm } from "@/components/auth/email-request-form";
import { textLinkClass } from "@/components/ui/text-link";

export const metadata: Metadata = { title: "Reset your password" };

export default function ForgotPasswordPage() {
  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">Reset your password</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">We&apos;ll email you a link to choose a new one.</p>
      <div className="mt-8">
        <EmailRequestForm request="reset" />
      </div>
      <p className="mt-8 text-center text-sm text-zinc-600 dark:text-zinc-400">
        Remembered it?{" "}
        <Link href="/sign-in" className={`font-semibold ${textLinkClass}`}>
          Sign in
        </Link>
      </p>
    </>
  );
}
