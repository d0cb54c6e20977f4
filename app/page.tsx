import Link from "next/link";
import { Logo } from "@/components/logo";
import { buttonClass } from "@/components/ui/button";
import { AuthUnavailableError, getSessionUser } from "@/lib/auth/session";
import { createServerSupabase } from "@/lib/supabase/server";

const pipeline = [
  {
    title: "A route handler emits an event",
    body: "It validates the request, records a pending job and answers at once with where to find its status.",
  },
  {
    title: "An Inngest step function does the work",
    body: "Each step is retried on its own, so a flaky API call never redoes the whole job.",
  },
  {
    title: "Job state is mirrored into Supabase",
    body: "Pending, processing, retrying, completed or failed, with progress, in a table your users can read.",
  },
  {
    title: "The UI polls and shows progress",
    body: "A progress bar and an estimate, and after a while: “we'll email you when it's ready”.",
  },
];

const flows = [
  {
    title: "Welcome email",
    body: "Sign-up emits an event; a function sends the email through Resend exactly once per user.",
  },
  {
    title: "Reports with live progress",
    body: "Generated in steps that report how far they got, can be cancelled, and email a link when done.",
  },
  {
    title: "Daily digest",
    body: "A cron function fans out one event per opted-in user, so each digest is sent once a day.",
  },
];

export default async function HomePage() {
  // Only picks the header's links, so a session that can't be checked just now reads as signed out.
  const user = await getSessionUser(await createServerSupabase()).catch((error: unknown) => {
    if (error instanceof AuthUnavailableError) return null;
    throw error;
  });

  return (
    <div className="flex min-h-dvh flex-col">
      <header className="mx-auto flex w-full max-w-6xl items-center justify-between px-6 py-5">
        <Logo />
        <nav aria-label="Account" className="flex items-center gap-2">
          {user ? (
            <Link href="/dashboard" className={buttonClass("primary")}>
              Go to dashboard
            </Link>
          ) : (
            <>
              <Link href="/sign-in" className={buttonClass("ghost")}>
                Sign in
              </Link>
              <Link href="/sign-up" className={buttonClass("primary")}>
                Get started
              </Link>
            </>
          )}
        </nav>
      </header>

      <main id="main" className="flex-1">
        <section className="mx-auto max-w-6xl px-6 pt-16 pb-20 sm:pt-24">
          <p className="text-sm font-semibold text-brand-600 dark:text-brand-300">Next.js SaaS starter</p>
          <h1 className="mt-3 max-w-3xl text-4xl font-semibold tracking-tight text-balance sm:text-6xl">
            Ship the slow work to the background.
          </h1>
          <p className="mt-6 max-w-2xl text-lg text-pretty text-zinc-600 dark:text-zinc-400">
            Offload is a Next.js starter with background jobs built in. Route handlers emit
            Inngest events, step functions do the slow work, and every job&apos;s state is
            mirrored into Supabase so your UI can show real progress instead of a spinner.
          </p>
          <div className="mt-10 flex flex-wrap gap-3">
            {user ? (
              <Link href="/dashboard" className={buttonClass("primary")}>
                Go to dashboard
              </Link>
            ) : (
              <>
                <Link href="/sign-up" className={buttonClass("primary")}>
                  Create an account
                </Link>
                <Link href="/sign-in" className={buttonClass("secondary")}>
                  Sign in
                </Link>
              </>
            )}
          </div>
        </section>

        <section aria-labelledby="pipeline" className="border-y border-zinc-200 dark:border-zinc-800 bg-zinc-50 dark:bg-zinc-950">
          <div className="mx-auto max-w-6xl px-6 py-16">
            <h2 id="pipeline" className="text-2xl font-semibold tracking-tight">
              How a job flows
            </h2>
            <ol className="mt-8 grid gap-6 sm:grid-cols-2 lg:grid-cols-4">
              {pipeline.map((step, index) => (
                <li key={step.title} className="rounded-xl bg-white dark:bg-zinc-900 p-5 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800">
                  <span className="grid size-8 place-items-center rounded-full bg-brand-50 dark:bg-brand-950 text-sm font-semibold text-brand-700 dark:text-brand-300">
                    {index + 1}
                  </span>
                  <h3 className="mt-4 font-semibold">{step.title}</h3>
                  <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{step.body}</p>
                </li>
              ))}
            </ol>
          </div>
        </section>

        <section aria-labelledby="flows" className="mx-auto max-w-6xl px-6 py-16">
          <h2 id="flows" className="text-2xl font-semibold tracking-tight">
            Three real flows to build on
          </h2>
          <ul className="mt-8 grid gap-6 sm:grid-cols-3">
            {flows.map((flow) => (
              <li key={flow.title} className="border-l-2 border-brand-500 pl-4">
                <h3 className="font-semibold">{flow.title}</h3>
                <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{flow.body}</p>
              </li>
            ))}
          </ul>
        </section>
      </main>

      <footer className="border-t border-zinc-200 dark:border-zinc-800">
        <p className="mx-auto max-w-6xl px-6 py-6 text-sm text-zinc-500 dark:text-zinc-400">
          Built with Next.js, Inngest, Supabase and Resend.
        </p>
      </footer>
    </div>
  );
}
