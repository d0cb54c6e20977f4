import type { Metadata } from "next";
import Link from "next/link";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { authPageHref, safeNextPath } from "@/lib/auth/redirect";
import { textLinkClass } from "@/components/ui/text-link";

export const metadata: Metadata = { title: "Create an account" };

type Props = { searchParams: Promise<{ next?: string | string[]; email?: string | string[] }> };

export default async function SignUpPage({ searchParams }: Props) {
  const query = await searchParams;
  const next = safeNextPath(typeof query.next === "string" ? query.next : null);
  // Prefilled only: the form checks it like anything typed.
  const email = typeof query.email === "string" ? query.email.slice(0, 254) : undefined;

  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">Create an account</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        You get a personal workspace to run jobs in.
      </p>
      <div className="mt-8">
        <SignUpForm redirectTo={next} email={email} />
      </div>
      <p className="mt-8 text-center text-sm text-zinc-600 dark:text-zinc-400">
        Already have an account?{" "}
        <Link href={authPageHref("/sign-in", next, email)} className={`font-semibold ${textLinkClass}`}>
          Sign in
        </Link>
      </p>
    </>
  );
}
