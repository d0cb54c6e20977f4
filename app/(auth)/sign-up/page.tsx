import type { Metadata } from "next";
import Link from "next/link";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { safeNextPath } from "@/lib/auth/redirect";
import { textLinkClass } from "@/components/ui/text-link";

export const metadata: Metadata = { title: "Create an account" };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function SignUpPage({ searchParams }: Props) {
  const { next } = await searchParams;

  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">Create an account</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        You get a personal workspace to run jobs in.
      </p>
      <div className="mt-8">
        <SignUpForm redirectTo={safeNextPath(typeof next === "string" ? next : null)} />
      </div>
      <p className="mt-8 text-center text-sm text-zinc-600 dark:text-zinc-400">
        Already have an account?{" "}
        <Link href="/sign-in" className={`font-semibold ${textLinkClass}`}>
          Sign in
        </Link>
      </p>
    </>
  );
}
