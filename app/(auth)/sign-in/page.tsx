import type { Metadata } from "next";
import Link from "next/link";
import { SignInForm } from "@/components/auth/sign-in-form";
import { authPageHref, safeNextPath } from "@/lib/auth/redirect";
import { textLinkClass } from "@/components/ui/text-link";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ next?: string | string[]; email?: string | string[] }> };

export default async function SignInPage({ searchParams }: Props) {
  const query = await searchParams;
  const next = safeNextPath(typeof query.next === "string" ? query.next : null);
  // Prefilled only: the form checks it like anything typed.
  const email = typeof query.email === "string" ? query.email.slice(0, 254) : undefined;

  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">Welcome back to Offload.</p>
      <div className="mt-8">
        <SignInForm redirectTo={next} email={email} />
      </div>
      <p className="mt-4 text-center text-sm">
        <Link href="/forgot-password" className={`font-semibold ${textLinkClass}`}>
          Forgot your password?
        </Link>
      </p>
      <p className="mt-8 text-center text-sm text-zinc-600 dark:text-zinc-400">
        No account yet?{" "}
        <Link href={authPageHref("/sign-up", next, email)} className={`font-semibold ${textLinkClass}`}>
          Create one
        </Link>
      </p>
    </>
  );
}
