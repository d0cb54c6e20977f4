import type { Metadata } from "next";
import Link from "next/link";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeNextPath } from "@/lib/auth/redirect";
import { textLinkClass } from "@/components/ui/text-link";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function SignInPage({ searchParams }: Props) {
  const { next } = await searchParams;

  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">Welcome back to Offload.</p>
      <div className="mt-8">
        <SignInForm redirectTo={safeNextPath(typeof next === "string" ? next : null)} />
      </div>
      <p className="mt-4 text-center text-sm">
        <Link href="/forgot-password" className={`font-semibold ${textLinkClass}`}>
          Forgot your password?
        </Link>
      </p>
      <p className="mt-8 text-center text-sm text-zinc-600 dark:text-zinc-400">
        No account yet?{" "}
        <Link href="/sign-up" className={`font-semibold ${textLinkClass}`}>
          Create one
        </Link>
      </p>
    </>
  );
}
